import {
  applyEdits,
  FormattingOptions,
  JSONPath,
  modify,
  parseTree,
} from 'jsonc-parser';

/*
 * Edits of the user's JSON files with jsonc-parser: only the lines of an edit change, laid out
 * in the file's own indentation and line endings; see docs/architecture.md ("Merging, not
 * templating").
 */

/** The indentation and line endings of a JSON text, for the lines an edit adds. */
export function jsonLayout(text: string): FormattingOptions {
  const first = parseTree(text)?.children?.[0];
  const lineStart = first ? text.lastIndexOf('\n', first.offset - 1) + 1 : 0;
  const before = first ? text.slice(lineStart, first.offset) : '';
  const unit = /^[ \t]+$/.test(before) ? before : '  ';
  return {
    insertSpaces: !unit.startsWith('\t'),
    tabSize: unit.startsWith('\t') ? 1 : unit.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/**
 * Sets the value at `path` of a JSON text (creating the objects on the way), keeping the rest
 * of the text as it is.
 *
 * @param insertAt - where a new member goes among the keys of its object; default the end
 */
export function setJsonValue(
  text: string,
  path: JSONPath,
  value: unknown,
  insertAt: (keys: string[]) => number = keys => keys.length,
): string {
  return applyEdits(
    text,
    modify(text, path, value, {
      formattingOptions: jsonLayout(text),
      getInsertionIndex: insertAt,
    }),
  );
}
