/** One term/value pair of a `<dl>` (tests find values as the `<dd>` after their `<dt>`). */
export function Fact({ term, value }: { term: string; value: string }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}
