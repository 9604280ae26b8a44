import { micromark } from 'micromark'
import { gfm, gfmHtml } from 'micromark-extension-gfm'

/**
 * The links and images a reader would get from this Markdown, read as
 * GitHub reads the summary and a comment: GitHub Flavored Markdown
 * (tables, autolinks of `www.`, `https://` and addresses, strikethrough,
 * the tag filter), its raw HTML passed through as GitHub's renderer passes
 * it before its sanitizer. A link or image from Markdown (`[x](y)`,
 * `![i](y)`, an autolink) comes out as an `<a>` or `<img>` element, and
 * so does one written as raw HTML.
 */
export function linksAndImages(markdown: string): {
  links: string[]
  images: number
  html: string
} {
  const html = micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()]
  })
  const anchors = [...html.matchAll(/<a\b[^>]*>/gi)].map(
    ([tag]) => /\bhref\s*=\s*"([^"]*)"/i.exec(tag)?.[1] ?? tag
  )
  const images = [...html.matchAll(/<img\b/gi)].length
  return { links: anchors, images, html }
}
