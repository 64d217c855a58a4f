import { describe, expect, it } from 'vitest';
import { lookupHost, lookupSourceName, normalizeHost } from './known-hosts.ts';

describe('normalizeHost', () => {
  it.each([
    ['WWW.Example.COM.', 'example.com'],
    ['m.facebook.com', 'facebook.com'],
    ['l.facebook.com', 'facebook.com'],
    ['lm.facebook.com', 'facebook.com'],
    ['www.m.example.com', 'example.com'],
    ['m.co', 'm.co'],
    ['www.com', 'www.com'],
    ['example.com:443', 'example.com'],
    ['shop.example.com', 'shop.example.com'],
  ])('%s → %s', (host, expected) => {
    expect(normalizeHost(host)).toBe(expected);
  });
});

describe('lookupHost', () => {
  it.each([
    ['mail.google.com', 'Gmail'],
    ['uk.mail.yahoo.com', 'Yahoo Mail'],
    ['yahoo.com', 'Yahoo'],
    ['search.yahoo.co.jp', 'Yahoo'],
    ['google.com', 'Google'],
    ['google.de', 'Google'],
    ['yandex.com.tr', 'Yandex'],
    ['business.facebook.com', 'Facebook'],
    ['somebody.tumblr.com', 'Tumblr'],
  ])('%s → %s (the most specific rule wins)', (host, name) => {
    expect(lookupHost(host)?.name).toBe(name);
  });

  it.each([
    'example.com',
    'com',
    'news.google.com',
    'googleusercontent.com',
    'notfacebook.com',
    'facebook.com.evil.io',
  ])('%s is unknown', (host) => {
    expect(lookupHost(host)).toBeNull();
  });
});

describe('lookupSourceName', () => {
  it.each([
    ['fb', 'Facebook'],
    [' Facebook ', 'Facebook'],
    ['ig', 'Instagram'],
    ['x', 'Twitter'],
    ['hackernews', 'Hacker News'],
    ['Brave Search', 'Brave Search'],
    ['google.de', 'Google'],
    ['m.youtube.com', 'YouTube'],
  ])('%s → %s', (value, name) => {
    expect(lookupSourceName(value)?.name).toBe(name);
  });

  it.each(['newsletter', 'acme', '', 'face book'])('%j is unknown', (value) => {
    expect(lookupSourceName(value)).toBeNull();
  });
});
