import type { ReactNode } from 'react';
import type { ApiState } from '../../api/use-api.ts';
import { Panel, PanelBody } from '../../components/panel.tsx';
import { formatPtf, ptfOfWei, type RewardsSummaryOut, type TokenOverviewOut } from './ptf.ts';

// The contract's constants (src/rewards/rules/token-constants.ts), for callers who may not read
// the token route (it is portfolio-wide); the route answers the same numbers.
const CAP_WEI = 1_000_000_000n * 10n ** 18n;
const TREASURY_WEI = CAP_WEI / 5n;

/** "20", "0.0167", or "< 0.0001" for a positive amount too small to show in four decimals. */
function percentOfCap(wei: bigint): string {
  const pct = Number((wei * 1_000_000n) / CAP_WEI) / 10_000;
  return pct === 0 && wei > 0n ? '< 0.0001' : pct.toString();
}

function Row(props: { label: ReactNode; value: string | null; testId: string; note?: ReactNode }) {
  return (
    <tr data-testid={props.testId}>
      <td style={{ whiteSpace: 'normal' }}>
        <div className="domain-cell">
          <span>{props.label}</span>
          {props.note && <span className="host">{props.note}</span>}
        </div>
      </td>
      <td data-ptf={props.value ?? undefined}>
        {props.value === null ? '—' : `${formatPtf(props.value)} PTF`}
      </td>
    </tr>
  );
}

/**
 * Supply against the 1,000,000,000 PTF cap: the treasury's 20 %, what the ledger issued and
 * redeemed, and the chain's total supply when it can be read. `partial`: the ledger figures cover
 * some domains only (a limited operator or the domain filter), so no portfolio total is derived.
 */
export function SupplyPanel(props: {
  summary: ApiState<RewardsSummaryOut>;
  token: TokenOverviewOut | undefined;
  partial: 'scope' | 'filter' | null;
}) {
  const onChain = props.token?.token?.onChain?.totalSupply ?? null;
  return (
    <Panel title="Supply against the cap" testId="rewards-supply">
      <PanelBody state={props.summary}>
        {(s) => {
          const issued = BigInt(s.totals.issued.wei);
          const redeemed = BigInt(s.totals.redeemed.wei);
          const ledgerSupply = TREASURY_WEI + issued - redeemed;
          const where =
            props.partial === 'scope'
              ? 'on your domains'
              : props.partial === 'filter'
                ? 'on the selected domains'
                : 'by the ledger, all time';
          const issuedShare = Math.max(
            issued > 0n ? 0.4 : 0,
            Number(((issued - redeemed) * 10_000n) / CAP_WEI) / 100,
          );
          return (
            <div className="stack" style={{ gap: 12 }}>
              <div
                className="progress"
                style={{ display: 'flex', height: 10 }}
                role="img"
                aria-label={`Treasury ${percentOfCap(TREASURY_WEI)} % and rewards ${percentOfCap(issued)} % of the cap`}
              >
                <span style={{ width: '20%', background: 'var(--chart-2)', borderRadius: 0 }} />
                <span style={{ width: `${issuedShare}%`, borderRadius: 0 }} />
              </div>
              <p className="hint">
                {props.partial === null
                  ? `${percentOfCap(ledgerSupply)} % of the cap: the treasury's 20 % and ${percentOfCap(issued - redeemed)} % in users' hands.`
                  : `Treasury 20 %; ${percentOfCap(issued)} % of the cap issued ${where}.`}
              </p>
              <div className="table-wrap">
                <table className="table">
                  <tbody>
                    <Row label="Cap" value={ptfOfWei(CAP_WEI)} testId="supply-cap" />
                    <Row
                      label="Treasury (20 %)"
                      value={ptfOfWei(TREASURY_WEI)}
                      testId="supply-treasury"
                      note="minted at deployment"
                    />
                    <Row label="Issued" value={s.totals.issued.ptf} testId="supply-issued" note={where} />
                    <Row
                      label="Redeemed"
                      value={s.totals.redeemed.ptf}
                      testId="supply-redeemed"
                      note="burned on the domains"
                    />
                    {props.partial === null && (
                      <>
                        <Row
                          label="Ledger supply"
                          value={ptfOfWei(ledgerSupply)}
                          testId="supply-ledger"
                          note="treasury + issued − redeemed"
                        />
                        <Row
                          label="Room under the cap"
                          value={ptfOfWei(CAP_WEI - TREASURY_WEI - issued)}
                          testId="supply-room"
                          note="rewards stop being booked when it is used up"
                        />
                      </>
                    )}
                    {props.token !== undefined && (
                      <Row
                        label="On-chain total supply"
                        value={onChain?.ptf ?? null}
                        testId="supply-chain"
                        note={
                          onChain
                            ? `${props.token.chain?.network}, block ${props.token.chain?.blockNumber}`
                            : !props.token.available
                              ? 'chain unavailable'
                              : 'no token deployed'
                        }
                      />
                    )}
                  </tbody>
                </table>
              </div>
            </div>
          );
        }}
      </PanelBody>
    </Panel>
  );
}
