import type { SiteProfile } from './site-profiles.ts';

// The business-to-business sites: visited in office hours on weekdays, converting into trials
// and leads.

// Office hours in Brussels (share of a day's traffic per hour).
const BUSINESS_HOURS = [
  0.8, 0.5, 0.3, 0.3, 0.3, 0.6, 1.5, 3.5, 6.5, 8, 8.2, 7.6, 6, 7, 7.8, 7.4, 6.5, 5, 3.5, 3, 2.8, 2.5, 1.8,
  1.2,
];

const BUSINESS_WEEK = [1.15, 1.18, 1.16, 1.12, 1.02, 0.64, 0.73];

export const SAAS: SiteProfile = {
  arrivalWeight: 0.12,
  signupRate: 0.07,
  habit: 1.2,
  weekday: BUSINESS_WEEK,
  hours: BUSINESS_HOURS,
  bounceRate: 0.45,
  extraPages: 3.4,
  gapSeconds: 77,
  pages: [
    { path: '/', entry: 28, browse: 6 },
    { path: '/features', entry: 8, browse: 10 },
    { path: '/pricing', entry: 8, browse: 12 },
    { path: '/tools/seo-audit', entry: 10, browse: 6 },
    { path: '/blog/technical-seo-checklist', entry: 14, browse: 2 },
    { path: '/blog/ai-content-briefs', entry: 9, browse: 2 },
    { path: '/app/dashboard', entry: 3, browse: 16 },
    { path: '/app/audits', entry: 1, browse: 10 },
    { path: '/app/keywords', entry: 1, browse: 9 },
    { path: '/docs', entry: 2, browse: 4 },
  ],
  signup: { pages: ['/pricing', '/signup'], event: 'Signup' },
  browsing: [
    {
      name: 'Audit Run',
      anonymous: 0.03,
      member: 0.4,
      page: '/app/audits',
      props: { pages: ['1-50', '51-500', '500+'] },
    },
    { name: 'Content Brief Created', anonymous: 0, member: 0.15, page: '/app/keywords' },
  ],
  campaigns: ['free-seo-audit', 'agency-plan-launch', 'ai-briefs-beta'],
};

export const LEAD_GEN: SiteProfile = {
  arrivalWeight: 0.08,
  signupRate: 0.05,
  habit: 0.6,
  weekday: BUSINESS_WEEK,
  hours: BUSINESS_HOURS,
  bounceRate: 0.5,
  extraPages: 2.8,
  gapSeconds: 74,
  pages: [
    { path: '/', entry: 30, browse: 6 },
    { path: '/solutions/ai-chatbots', entry: 10, browse: 8 },
    { path: '/solutions/sales-automation', entry: 9, browse: 8 },
    { path: '/case-studies', entry: 6, browse: 8 },
    { path: '/blog/ai-for-smes', entry: 14, browse: 2 },
    { path: '/pricing', entry: 4, browse: 7 },
    { path: '/contact', entry: 2, browse: 6 },
  ],
  signup: { pages: ['/contact'], event: 'Lead Form Submitted' },
  browsing: [{ name: 'Demo Booked', anonymous: 0, member: 0.08, page: '/contact' }],
  campaigns: ['ai-audit-webinar', 'linkedin-sme-automation'],
};
