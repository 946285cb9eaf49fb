/**
 * The files the AWS CLI exports reader looks at, apart from its code: the scan tells from them whether it needs the
 * reader before loading it (src/scan/readers.ts).
 */
export const EXPORT_FILES = { name: "aws-cli-exports", extensions: [".json", ".error.txt"] };
