/**
 * Markup with the whitespace that means nothing to these tests squeezed out. Prettier lays out the
 * html`` templates (line breaks between cells, `\n>` before a closing bracket), so assertions about
 * markup read it through this: runs of whitespace become one space, and none is kept between tags
 * or before a tag's closing bracket. Text inside elements keeps its words and single spaces.
 */
export function squeezed(markup: string): string {
  return markup
    .replace(/\s+/g, ' ')
    .replace(/> </g, '><')
    .replace(/ (\/?)>/g, '$1>');
}
