import { LEAD_GEN, SAAS } from './business-site-profiles.ts';

// How visitors behave on each kind of business: traffic share, sign-up rate, when they come
// (hour of day in Europe/Brussels, day of week), which pages they enter on and browse, and the
// custom events they trigger. Figures are typical of small European sites, not measured ones.

export type SiteKind =
  | 'e-commerce'
  | 'web3-app'
  | 'nft-marketplace'
  | 'saas'
  | 'dating'
  | 'affiliate'
  | 'lead-generation'
  | 'content'
  | 'other';

export interface PageSpec {
  path: string;
  /** Weight as a landing page. */
  entry: number;
  /** Weight as a later page of a visit. */
  browse: number;
}

/** A custom event some non-bounced visits trigger (per visit chance, by visitor type). */
export interface BrowsingEvent {
  name: string;
  anonymous: number;
  member: number;
  /** Page it happens on (visited right before the event). */
  page?: string;
  props?: Record<string, readonly string[]>;
}

export interface SiteProfile {
  /** Share of the portfolio's new visitors who discover this kind of site first. */
  arrivalWeight: number;
  /** Share of new visitors who create an account on their first visit (identified users). */
  signupRate: number;
  /** Multiplies a returning visitor's daily visit chance (an app is opened more often than a shop). */
  habit: number;
  /** Monday … Sunday; averages 1. */
  weekday: readonly number[];
  /** Relative traffic per local hour 0 … 23 (Europe/Brussels). */
  hours: readonly number[];
  bounceRate: number;
  /** Mean pages after the first in a visit that does not bounce. */
  extraPages: number;
  /** Median seconds between two page views of a visit (tuned to the seed's 180 s average session). */
  gapSeconds: number;
  pages: readonly PageSpec[];
  signup: { pages: readonly string[]; event: string };
  browsing: readonly BrowsingEvent[];
  /** UTM campaigns of this kind's paid, social and e-mail traffic. */
  campaigns: readonly string[];
}

// Evening-heavy consumer curve and a late-evening one (share of a day's traffic per hour).
const CONSUMER_HOURS = [
  2, 1.2, 0.8, 0.5, 0.4, 0.6, 1.5, 3, 4, 4.5, 5, 5.2, 5.8, 5.5, 5, 5, 5.2, 5.6, 6.2, 6.8, 7, 6.5, 5, 3.2,
];
const NIGHT_OWL_HOURS = [
  4, 3, 2, 1.2, 0.8, 0.6, 0.8, 1.5, 2.5, 3, 3.5, 4, 4.5, 4.2, 4, 4, 4.3, 4.8, 5.5, 6.5, 7.5, 8.2, 8, 6,
];

const CONSUMER_WEEK = [0.96, 0.98, 0.98, 0.99, 0.97, 1.05, 1.07];
const LEISURE_WEEK = [0.9, 0.92, 0.94, 0.97, 1.05, 1.13, 1.09];

const SHOP: SiteProfile = {
  arrivalWeight: 0.24,
  signupRate: 0.09,
  habit: 0.7,
  weekday: CONSUMER_WEEK,
  hours: CONSUMER_HOURS,
  bounceRate: 0.42,
  extraPages: 3.6,
  gapSeconds: 67,
  pages: [
    { path: '/', entry: 30, browse: 8 },
    { path: '/shop', entry: 8, browse: 16 },
    { path: '/products/lions-mane-extract', entry: 10, browse: 10 },
    { path: '/products/reishi-capsules', entry: 8, browse: 8 },
    { path: '/products/chaga-tea', entry: 5, browse: 6 },
    { path: '/products/cordyceps-powder', entry: 4, browse: 5 },
    { path: '/products/mushroom-coffee-blend', entry: 6, browse: 6 },
    { path: '/blog/what-is-lions-mane', entry: 12, browse: 3 },
    { path: '/blog/adaptogens-for-stress', entry: 8, browse: 2 },
    { path: '/blog/reishi-sleep-guide', entry: 5, browse: 2 },
    { path: '/about', entry: 1, browse: 3 },
    { path: '/cart', entry: 0, browse: 4 },
    { path: '/account', entry: 1, browse: 2 },
  ],
  signup: { pages: ['/account/register'], event: 'Signup' },
  browsing: [
    {
      name: 'Add to Cart',
      anonymous: 0.07,
      member: 0.16,
      page: '/products/lions-mane-extract',
      props: { product: ['lions-mane-extract', 'reishi-capsules', 'chaga-tea', 'mushroom-coffee-blend'] },
    },
    { name: 'Newsletter Signup', anonymous: 0.02, member: 0.01, page: '/blog/adaptogens-for-stress' },
  ],
  campaigns: ['lions-mane-launch', 'winter-immunity', 'newsletter-weekly'],
};

const WEB3_APP: SiteProfile = {
  arrivalWeight: 0.12,
  signupRate: 0.22,
  habit: 1.5,
  weekday: LEISURE_WEEK,
  hours: CONSUMER_HOURS,
  bounceRate: 0.38,
  extraPages: 4.2,
  gapSeconds: 51,
  pages: [
    { path: '/', entry: 40, browse: 6 },
    { path: '/how-it-works', entry: 8, browse: 8 },
    { path: '/token', entry: 10, browse: 6 },
    { path: '/leaderboard', entry: 4, browse: 10 },
    { path: '/app/rides', entry: 6, browse: 16 },
    { path: '/app/wallet', entry: 2, browse: 10 },
    { path: '/app/challenges', entry: 2, browse: 9 },
    { path: '/pricing', entry: 4, browse: 5 },
    { path: '/blog/move-to-earn-explained', entry: 12, browse: 2 },
  ],
  signup: { pages: ['/signup'], event: 'Signup' },
  browsing: [
    {
      name: 'Wallet Connected',
      anonymous: 0.02,
      member: 0.1,
      page: '/app/wallet',
      props: { wallet: ['MetaMask', 'WalletConnect', 'Coinbase Wallet'] },
    },
    {
      name: 'Ride Recorded',
      anonymous: 0,
      member: 0.45,
      page: '/app/rides',
      props: { distance: ['5-10 km', '10-25 km', '25-50 km', '50+ km'] },
    },
    { name: 'Challenge Joined', anonymous: 0, member: 0.08, page: '/app/challenges' },
  ],
  campaigns: ['spring-ride-challenge', 'fix-token-airdrop', 'strava-crossover'],
};

const NFT_MARKET: SiteProfile = {
  arrivalWeight: 0.08,
  signupRate: 0.12,
  habit: 0.9,
  weekday: LEISURE_WEEK,
  hours: NIGHT_OWL_HOURS,
  bounceRate: 0.48,
  extraPages: 3.8,
  gapSeconds: 58,
  pages: [
    { path: '/', entry: 30, browse: 6 },
    { path: '/explore', entry: 12, browse: 18 },
    { path: '/drops', entry: 8, browse: 8 },
    { path: '/artists/lyra-beats', entry: 6, browse: 6 },
    { path: '/artists/nova-flow', entry: 5, browse: 5 },
    { path: '/collections/summer-sessions', entry: 7, browse: 8 },
    { path: '/collections/lofi-genesis', entry: 5, browse: 7 },
    { path: '/create', entry: 2, browse: 4 },
    { path: '/blog/music-nfts-for-artists', entry: 9, browse: 2 },
  ],
  signup: { pages: ['/connect'], event: 'Wallet Connected' },
  browsing: [
    { name: 'Track Played', anonymous: 0.25, member: 0.5, page: '/explore' },
    { name: 'Bid Placed', anonymous: 0, member: 0.05, page: '/collections/summer-sessions' },
  ],
  campaigns: ['summer-sessions-drop', 'artist-onboarding'],
};

const DATING: SiteProfile = {
  arrivalWeight: 0.2,
  signupRate: 0.3,
  habit: 1.4,
  weekday: LEISURE_WEEK,
  hours: NIGHT_OWL_HOURS,
  bounceRate: 0.35,
  extraPages: 5.5,
  gapSeconds: 45,
  pages: [
    { path: '/', entry: 45, browse: 4 },
    { path: '/how-it-works', entry: 6, browse: 4 },
    { path: '/compatibility-test', entry: 10, browse: 6 },
    { path: '/discover', entry: 4, browse: 20 },
    { path: '/matches', entry: 3, browse: 14 },
    { path: '/messages', entry: 3, browse: 16 },
    { path: '/profile/edit', entry: 1, browse: 5 },
    { path: '/premium', entry: 2, browse: 4 },
    { path: '/blog/first-date-ideas-brussels', entry: 10, browse: 1 },
  ],
  signup: { pages: ['/compatibility-test', '/signup'], event: 'Signup' },
  browsing: [
    { name: 'Profile Completed', anonymous: 0, member: 0.05, page: '/profile/edit' },
    { name: 'Match', anonymous: 0, member: 0.22, page: '/discover' },
    { name: 'Message Sent', anonymous: 0, member: 0.4, page: '/messages' },
  ],
  campaigns: ['valentine-2027', 'compatibility-quiz', 'brussels-singles'],
};

const AFFILIATE: SiteProfile = {
  arrivalWeight: 0.16,
  signupRate: 0.03,
  habit: 0.5,
  weekday: CONSUMER_WEEK,
  hours: CONSUMER_HOURS,
  bounceRate: 0.55,
  extraPages: 2.4,
  gapSeconds: 61,
  pages: [
    { path: '/', entry: 18, browse: 8 },
    { path: '/best/disposable-vapes-2026', entry: 16, browse: 6 },
    { path: '/reviews/elf-bar-600', entry: 12, browse: 7 },
    { path: '/reviews/lost-mary-bm600', entry: 10, browse: 6 },
    { path: '/compare/elf-bar-vs-lost-mary', entry: 9, browse: 6 },
    { path: '/deals', entry: 8, browse: 10 },
    { path: '/guides/nicotine-strength', entry: 7, browse: 3 },
  ],
  signup: { pages: ['/deals'], event: 'Newsletter Signup' },
  browsing: [
    {
      name: 'Outbound Link: Click',
      anonymous: 0.3,
      member: 0.35,
      page: '/deals',
      props: {
        url: ['https://www.amazon.de/', 'https://www.vapestore.example.net/', 'https://www.bol.com/'],
      },
    },
  ],
  campaigns: ['deals-newsletter', 'black-friday-vapes'],
};

const CONTENT: SiteProfile = {
  ...AFFILIATE,
  arrivalWeight: 0.08,
  pages: [
    { path: '/', entry: 30, browse: 8 },
    { path: '/articles/getting-started', entry: 20, browse: 8 },
    { path: '/articles/deep-dive', entry: 15, browse: 6 },
    { path: '/about', entry: 2, browse: 3 },
  ],
  signup: { pages: ['/newsletter'], event: 'Newsletter Signup' },
  browsing: [],
  campaigns: ['newsletter-weekly'],
};

export const SITE_PROFILES: Record<SiteKind, SiteProfile> = {
  'e-commerce': SHOP,
  'web3-app': WEB3_APP,
  'nft-marketplace': NFT_MARKET,
  saas: SAAS,
  dating: DATING,
  affiliate: AFFILIATE,
  'lead-generation': LEAD_GEN,
  content: CONTENT,
  other: CONTENT,
};

/** The profile of a domain kind as the API reports it (unknown kinds read as content sites). */
export function profileOf(kind: string): SiteProfile {
  return SITE_PROFILES[kind as SiteKind] ?? CONTENT;
}
