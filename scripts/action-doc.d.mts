export function actionTables(actionYmlText: string): string;
export function readmeSection(readmeText: string): { before: string; content: string; after: string };
