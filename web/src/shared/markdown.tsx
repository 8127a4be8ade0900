import Markdown, { type Components } from 'react-markdown';
import remarkBreaks from 'remark-breaks';

/*
 * Markdown written by the hotline's staff (help articles, procedures), shown as React elements:
 * react-markdown never injects HTML (raw HTML in the text is dropped with `skipHtml`) and its
 * default URL filter drops `javascript:` and other unsafe links. Kept out of the first load:
 * import it lazily.
 */
// Help articles and procedures are written in easy-to-read French, one short sentence per line
// on purpose; plain Markdown would join those lines into one paragraph, so a line break stays one.
const remarkPlugins = [remarkBreaks];

const components: Components = {
  // The page has its own h1; a `#` in the text must not make a second one.
  h1: ({ node: _node, ...props }) => <h2 {...props} />,
  a: ({ node: _node, href, children, ...props }) => {
    // A link the URL filter emptied (javascript:, data:…) stays as its text, not a link to nowhere.
    if (!href) return <span>{children}</span>;
    const external = !!href && /^https?:\/\//.test(href);
    return (
      <a href={href} {...props} {...(external ? { rel: 'noopener noreferrer' } : {})}>
        {children}
      </a>
    );
  },
  img: ({ node: _node, alt, ...props }) => <img alt={alt ?? ''} loading="lazy" style={{ maxWidth: '100%', height: 'auto' }} {...props} />,
};

export default function MarkdownView({ source, className, lang }: { source: string; className?: string; lang?: string }) {
  return (
    <div className={className} lang={lang}>
      <Markdown skipHtml remarkPlugins={remarkPlugins} components={components}>
        {source}
      </Markdown>
    </div>
  );
}
