/**
 * The --vscode-* variables the panel reads, with the values of VS Code's Dark Modern and Light
 * Modern themes, for rendering the webview bundle outside the workbench.
 */
const common = { '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace' };

export const THEMES = {
  dark: {
    ...common,
    background: '#181818',
    '--vscode-foreground': '#cccccc',
    '--vscode-descriptionForeground': '#9d9d9d',
    '--vscode-editorWidget-border': '#313131',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-background': '#0078d4',
    '--vscode-button-hoverBackground': '#026ec1',
    '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-button-secondaryBackground': '#313131',
    '--vscode-textBlockQuote-background': '#2b2b2b',
    '--vscode-input-background': '#313131',
    '--vscode-input-foreground': '#cccccc',
    '--vscode-input-border': '#3c3c3c',
    '--vscode-list-hoverBackground': '#2a2d2e',
    '--vscode-textCodeBlock-background': '#2b2b2b',
    '--vscode-errorForeground': '#f85149',
    '--vscode-editorWarning-foreground': '#cca700',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-purple': '#b180d7',
  },
  light: {
    ...common,
    background: '#f8f8f8',
    '--vscode-foreground': '#3b3b3b',
    '--vscode-descriptionForeground': '#717171',
    '--vscode-editorWidget-border': '#e5e5e5',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-background': '#005fb8',
    '--vscode-button-hoverBackground': '#0258a8',
    '--vscode-button-secondaryForeground': '#3b3b3b',
    '--vscode-button-secondaryBackground': '#e5e5e5',
    '--vscode-textBlockQuote-background': '#f2f2f2',
    '--vscode-input-background': '#ffffff',
    '--vscode-input-foreground': '#3b3b3b',
    '--vscode-input-border': '#cecece',
    '--vscode-list-hoverBackground': '#f2f2f2',
    '--vscode-textCodeBlock-background': '#f2f2f2',
    '--vscode-errorForeground': '#f85149',
    '--vscode-editorWarning-foreground': '#bf8803',
    '--vscode-charts-green': '#388a34',
    '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-red': '#e51400',
    '--vscode-charts-yellow': '#bf8803',
    '--vscode-charts-purple': '#652d90',
  },
} as const;

export type ThemeName = keyof typeof THEMES;

export function themeCss(theme: ThemeName): string {
  const { background, ...variables } = THEMES[theme];
  return `body { background: ${background}; ${Object.entries(variables).map(([name, value]) => `${name}: ${value};`).join(' ')} }`;
}
