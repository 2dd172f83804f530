/** Unified-diff lines as the dry run returns them; placeholders stand where values would be. */
export function DiffView({ lines }: { lines: readonly string[] }) {
  return (
    <pre className="diff" data-testid="diff">
      {lines.map((line, index) => {
        const sign = line.startsWith('@@')
          ? 'hunk'
          : line[0] === '+'
            ? 'add'
            : line[0] === '-'
              ? 'remove'
              : 'context';
        return (
          <span key={index} className="diff-line" data-sign={sign}>
            {line}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}
