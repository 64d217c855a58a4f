import { SimplePageHead } from '../components/badge.tsx';

export function AlertsPage() {
  return (
    <>
      <SimplePageHead title="Alerts" />
      <div className="panel">
        <div className="state">This figure is not available on this server version yet.</div>
      </div>
    </>
  );
}
