/**
 * The token's fixed numbers, equal to the constants of contracts/PortfolioToken.sol (the contract
 * tests read both and compare). Every amount is an integer number of wei: PTF has 18 decimals.
 */

/** One PTF in wei. */
export const ONE_PTF = 10n ** 18n;

/** Hard cap on the total supply: 1,000,000,000 PTF. */
export const MAX_SUPPLY = 1_000_000_000n * ONE_PTF;

/** Minted to the treasury when the contract is deployed: 20 % of the cap. */
export const TREASURY_ALLOCATION = (MAX_SUPPLY * 20n) / 100n;

/** Bonus on an AI-optimised reward, in percent of its base amount. */
export const AI_BONUS_PERCENT = 5n;

/** The cross-domain milestone pays from the 3rd distinct rewarded domain on. */
export const MILESTONE_MIN_DOMAINS = 3n;

/** Largest single milestone bonus: 1,000 PTF. */
export const MILESTONE_BONUS_MAX = 1_000n * ONE_PTF;
