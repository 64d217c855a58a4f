// The committed artifact must be what the contract compiles to today: a contract edited without
// `npm run build:contracts` fails here instead of shipping stale bytecode.
import { expect, it } from 'vitest';
import { compilePortfolioToken } from '../../../../contracts/build.ts';
import {
  portfolioTokenAbi,
  portfolioTokenBytecode,
  portfolioTokenCompilerVersion,
  portfolioTokenSourceHash,
} from './portfolio-token.ts';

it('matches a fresh compilation of contracts/PortfolioToken.sol', () => {
  const fresh = compilePortfolioToken();
  const stale = 'src/rewards/chain/artifacts/portfolio-token.ts is stale: run `npm run build:contracts`';
  expect(portfolioTokenCompilerVersion, stale).toBe(fresh.compilerVersion);
  expect(portfolioTokenSourceHash, stale).toBe(fresh.sourceHash);
  expect(portfolioTokenAbi, stale).toEqual(fresh.abi);
  expect(portfolioTokenBytecode === fresh.bytecode, stale).toBe(true);
}, 60_000);
