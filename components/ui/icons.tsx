/**
 * The console's icons: small inline SVGs (no icon font or emoji, which the server's fonts may lack).
 * Decorative: always aria-hidden; the text next to them carries the meaning.
 */
import type { SVGProps } from "react";

type IconProps = SVGProps<SVGSVGElement>;

function Icon({ children, ...props }: IconProps) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      width={16}
      height={16}
      {...props}
    >
      {children}
    </svg>
  );
}

/** The product mark: a red envelope with its gold seal. */
export function LogoMark(props: IconProps) {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" width={24} height={24} {...props}>
      <rect x="4" y="2.5" width="16" height="19" rx="2.5" fill="#d92d20" />
      <path d="M4 8.5c2.5 2.2 5.2 3.3 8 3.3s5.5-1.1 8-3.3" fill="none" stroke="#912018" strokeWidth="1.4" />
      <circle cx="12" cy="11.8" r="2.6" fill="#fdb022" />
    </svg>
  );
}

export const Icons = {
  dashboard: (p: IconProps) => (
    <Icon {...p}>
      <rect x="3.5" y="3.5" width="7" height="7" rx="1.5" />
      <rect x="13.5" y="3.5" width="7" height="7" rx="1.5" />
      <rect x="3.5" y="13.5" width="7" height="7" rx="1.5" />
      <rect x="13.5" y="13.5" width="7" height="7" rx="1.5" />
    </Icon>
  ),
  campaigns: (p: IconProps) => (
    <Icon {...p}>
      <rect x="5" y="3" width="14" height="18" rx="2" />
      <path d="M5 8c2.2 1.8 4.5 2.7 7 2.7S16.8 9.8 19 8" />
      <circle cx="12" cy="11" r="1.8" />
    </Icon>
  ),
  userPackets: (p: IconProps) => (
    <Icon {...p}>
      <rect x="6" y="3" width="12" height="18" rx="2" />
      <path d="M6 8c1.9 1.6 3.9 2.4 6 2.4S16.1 9.6 18 8" />
      <circle cx="12" cy="10.4" r="1.6" />
      <path d="M9.5 16.5h5" />
    </Icon>
  ),
  payouts: (p: IconProps) => (
    <Icon {...p}>
      <path d="M7 4l5 7 5-7" />
      <path d="M12 11v9" />
      <path d="M8 13h8M8 16.5h8" />
    </Icon>
  ),
  approvals: (p: IconProps) => (
    <Icon {...p}>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M8.5 12.2l2.4 2.4 4.6-5" />
    </Icon>
  ),
  batches: (p: IconProps) => (
    <Icon {...p}>
      <path d="M12 3.5l8.5 4.5-8.5 4.5L3.5 8z" />
      <path d="M3.5 12l8.5 4.5 8.5-4.5" />
      <path d="M3.5 16l8.5 4.5 8.5-4.5" />
    </Icon>
  ),
  audit: (p: IconProps) => (
    <Icon {...p}>
      <rect x="5" y="4" width="14" height="17" rx="2" />
      <path d="M9 4V3h6v1" />
      <path d="M8.5 10h7M8.5 13.5h7M8.5 17h4" />
    </Icon>
  ),
  settings: (p: IconProps) => (
    <Icon {...p}>
      <circle cx="12" cy="12" r="3" />
      <path d="M12 2.8v2.4M12 18.8v2.4M21.2 12h-2.4M5.2 12H2.8M18.5 5.5l-1.7 1.7M7.2 16.8l-1.7 1.7M18.5 18.5l-1.7-1.7M7.2 7.2L5.5 5.5" />
    </Icon>
  ),
  globe: (p: IconProps) => (
    <Icon {...p}>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M3.5 12h17M12 3.5c2.4 2.4 3.5 5.2 3.5 8.5s-1.1 6.1-3.5 8.5c-2.4-2.4-3.5-5.2-3.5-8.5S9.6 5.9 12 3.5z" />
    </Icon>
  ),
  close: (p: IconProps) => (
    <Icon {...p}>
      <path d="M6 6l12 12M18 6L6 18" />
    </Icon>
  ),
  inbox: (p: IconProps) => (
    <Icon {...p}>
      <path d="M3.5 13.5l2.5-8h12l2.5 8v5a1.5 1.5 0 01-1.5 1.5h-14A1.5 1.5 0 013.5 18.5z" />
      <path d="M3.5 13.5h5l1.5 2.5h4l1.5-2.5h5" />
    </Icon>
  ),
  menu: (p: IconProps) => (
    <Icon {...p}>
      <path d="M4 6.5h16M4 12h16M4 17.5h16" />
    </Icon>
  ),
  filter: (p: IconProps) => (
    <Icon {...p}>
      <path d="M4 5h16l-6 7.5V19l-4 1.5v-8z" />
    </Icon>
  ),
  copy: (p: IconProps) => (
    <Icon {...p}>
      <rect x="8.5" y="8.5" width="11" height="11" rx="2" />
      <path d="M15.5 8.5V6a1.5 1.5 0 00-1.5-1.5H6A1.5 1.5 0 004.5 6v8A1.5 1.5 0 006 15.5h2.5" />
    </Icon>
  ),
  check: (p: IconProps) => (
    <Icon {...p}>
      <path d="M5 12.5l4.5 4.5L19 7.5" />
    </Icon>
  ),
};
