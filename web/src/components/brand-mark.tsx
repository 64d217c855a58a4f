/** The logo: four bars, one per kind of figure the dashboard shows. */
export function BrandMark() {
  return (
    <span className="brand-mark">
      <svg width="16" height="16" viewBox="0 0 32 32" aria-hidden="true">
        <path
          d="M6 24V13m6.7 11V7m6.6 17v-7M26 24V11"
          stroke="#fff"
          strokeWidth="3.5"
          strokeLinecap="round"
        />
      </svg>
    </span>
  );
}
