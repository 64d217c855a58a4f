import { keccak256 as edrKeccak256 } from '@nomicfoundation/edr';
import { bytesToHex, stringToBytes } from 'viem';
import { describe, expect, it } from 'vitest';
import { domainIdOf, txIdOf, uuidOfTxId } from './chain-ids.ts';

describe('domainIdOf', () => {
  it('is keccak256 of the UTF-8 host (checked against EDR’s own Keccak)', () => {
    expect(domainIdOf('')).toBe('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    for (const host of ['fixie.run', 'rhymechain.win', 'adaptogenic-mushrooms.com', 'müsli.example']) {
      expect(domainIdOf(host)).toBe(bytesToHex(edrKeccak256(stringToBytes(host))));
    }
    expect(domainIdOf('Fixie.run')).not.toBe(domainIdOf('fixie.run'));
  });
});

describe('txIdOf / uuidOfTxId', () => {
  const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';

  it('left-pads the uuid’s 16 bytes to 32', () => {
    expect(txIdOf(uuid)).toBe('0x000000000000000000000000000000000f8fad5bd9cb469fa16570867728950e');
    expect(txIdOf(uuid.toUpperCase())).toBe(txIdOf(uuid));
    expect(uuidOfTxId(txIdOf(uuid))).toBe(uuid);
  });

  it('refuses anything that is not a uuid or a padded uuid', () => {
    expect(() => txIdOf('0f8fad5bd9cb469fa16570867728950e')).toThrow(RangeError);
    expect(() => txIdOf(`${uuid}0`)).toThrow(RangeError);
    expect(() => uuidOfTxId(`0x${'1'.repeat(64)}`)).toThrow(RangeError);
  });
});
