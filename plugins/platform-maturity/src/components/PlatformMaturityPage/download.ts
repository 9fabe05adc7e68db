const REVOKE_AFTER_MS = 30_000;

/**
 * Saves text as a file through the browser's download mechanism. CSV gets a UTF-8 byte order
 * mark, without which Excel reads non-ASCII titles in the local code page.
 */
export function downloadText(
  filename: string,
  text: string,
  type: 'text/csv',
): void {
  const blob = new Blob(['\uFEFF', text], { type: `${type};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Some browsers read the blob after `click` returns; revoking at once can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
