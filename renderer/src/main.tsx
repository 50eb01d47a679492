import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import { createTheme, MantineProvider, type CSSVariablesResolver } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';

const theme = createTheme({
  primaryColor: 'nhsBlue',
  colors: {
    // NHS blue (#005EB8) at index 6, with tints and shades around it.
    nhsBlue: ['#e6f0fa', '#cce0f4', '#99c2e9', '#66a3de', '#3385d3', '#0a6fc9', '#005eb8', '#004f9b', '#00407d', '#003160'],
  },
  fontFamily: 'Arial, "Helvetica Neue", Helvetica, sans-serif',
  defaultRadius: 'sm',
});

// Mantine's default dimmed grey and error red are below WCAG AA contrast on white; use darker shades.
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#495057', '--mantine-color-error': '#c92a2a' },
  dark: {},
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <App />
    </MantineProvider>
  </StrictMode>,
);
