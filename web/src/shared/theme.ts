import { createTheme, type MantineColorsTuple, type MantineThemeOverride } from '@mantine/core';

/*
 * Colours checked against WCAG 2.2 AA before use (Mantine's defaults fail: white on blue-6 is
 * 4.19:1, dimmed gray-6 on white 3.3:1). In every palette below, shades 6–9 give at least
 * 4.5:1 with white and with the palette's shade 0 (the "light" backgrounds), so filled and
 * light variants both pass; shade 5 and lighter are for backgrounds and borders only.
 */
const relais: MantineColorsTuple = ['#e8f1fb', '#d0e2f6', '#a3c5ec', '#72a5e1', '#4a89d6', '#2f74c9', '#1c62b5', '#1557a2', '#0f4b8e', '#0a3d75'];
const red: MantineColorsTuple = ['#fdecea', '#f9d3cf', '#f2a8a0', '#ea7a6f', '#e15446', '#d23b2d', '#b52b1f', '#9f2419', '#8a1d13', '#71150d'];
const green: MantineColorsTuple = ['#e7f5ec', '#cdeacf', '#9fd5a9', '#6cbf80', '#43a85f', '#2b8a46', '#1d7236', '#1b6a32', '#155a2a', '#0f4820'];
const orange: MantineColorsTuple = ['#fff4e0', '#ffe7bf', '#fccf8a', '#f7b352', '#f09a25', '#d97f06', '#9a5700', '#8f5100', '#7a4400', '#633600'];
const gray: MantineColorsTuple = ['#f8f9fa', '#f1f3f5', '#e9ecef', '#dee2e6', '#ced4da', '#7d858c', '#5c636a', '#495057', '#343a40', '#212529'];
const violet: MantineColorsTuple = ['#f3eefc', '#e4d9f8', '#c7b1f0', '#a886e8', '#8e62e0', '#7c4bd9', '#6a3bc4', '#5a31a8', '#4b288c', '#3c1f70'];
// High contrast: the primary colour becomes near-black navy, 15:1 and more on white.
const ink: MantineColorsTuple = ['#eef0f4', '#d9dde6', '#b3bccc', '#8593ad', '#5a6a8a', '#3a4a6b', '#1c2a48', '#121e38', '#0b152b', '#050b1a'];

const base: MantineThemeOverride = {
  colors: { relais, red, green, orange, gray, violet, ink, blue: relais },
  primaryColor: 'relais',
  primaryShade: { light: 8, dark: 6 },
  autoContrast: true,
  luminanceThreshold: 0.4,
  focusRing: 'auto',
  cursorType: 'pointer',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, "Helvetica Neue", Arial, sans-serif',
  headings: { fontFamily: 'inherit', fontWeight: '700' },
  defaultRadius: 'md',
  other: {},
};

/** Console and admin: dense enough for a day's work, every target at least 24 px. */
export const consoleTheme = createTheme({
  ...base,
  components: {
    Badge: { defaultProps: { variant: 'light' } },
  },
});

/**
 * The client portal: text at least 18 px, controls at least 44 px high (Mantine's `lg` inputs
 * and buttons are 50 px), generous spacing.
 */
export function portalTheme(highContrast: boolean) {
  return createTheme({
    ...base,
    primaryColor: highContrast ? 'ink' : 'relais',
    fontSizes: { xs: '1.125rem', sm: '1.125rem', md: '1.25rem', lg: '1.375rem', xl: '1.5rem' },
    lineHeights: { xs: '1.5', sm: '1.5', md: '1.55', lg: '1.55', xl: '1.5' },
    headings: {
      fontFamily: 'inherit',
      fontWeight: '700',
      sizes: {
        h1: { fontSize: '2rem', lineHeight: '1.25' },
        h2: { fontSize: '1.625rem', lineHeight: '1.3' },
        h3: { fontSize: '1.375rem', lineHeight: '1.35' },
        h4: { fontSize: '1.25rem', lineHeight: '1.4' },
      },
    },
    components: {
      Button: { defaultProps: { size: 'lg' } },
      TextInput: { defaultProps: { size: 'lg' } },
      Textarea: { defaultProps: { size: 'lg' } },
      PasswordInput: { defaultProps: { size: 'lg' } },
      Radio: { defaultProps: { size: 'lg' } },
      Checkbox: { defaultProps: { size: 'lg' } },
      Badge: { defaultProps: { size: 'lg', variant: 'light' } },
    },
  });
}
