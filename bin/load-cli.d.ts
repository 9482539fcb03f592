// Types of load-cli.js (plain JavaScript: it runs before anything is compiled) for the TypeScript that imports it.
export function distIsCurrent(): boolean;
export function loadCli(): Promise<(argv: string[]) => Promise<number>>;
