/**
 * The page shell: header with the site name and the menu for the viewer's role, the main
 * column, the footer. Scripts are external files only (the CSP forbids inline script), deferred.
 */
import { type HtmlValue, html, type SafeHtml } from "../html.ts";
import { W } from "../wording.ts";

export interface NavItem {
  readonly href: string;
  readonly label: string;
  readonly current: boolean;
}

export interface LayoutInput {
  readonly title: string;
  readonly css: string;
  readonly scripts: readonly string[];
  /** Absent on the login and error pages of someone not logged in. */
  readonly nav?: { readonly items: readonly NavItem[]; readonly who: string } | undefined;
  readonly body: HtmlValue;
  /** Reload every N seconds when no script runs (portal.js polls instead, without reloading). */
  readonly refreshSeconds?: number | undefined;
}

export function layout(input: LayoutInput): SafeHtml {
  return html`<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} - ${W.site}</title>
${input.refreshSeconds ? html`<noscript><meta http-equiv="refresh" content="${input.refreshSeconds}"></noscript>` : ""}
<link rel="stylesheet" href="${input.css}">
${input.scripts.map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body>
<a class="skip-link" href="#main">${W.skipToContent}</a>
<header class="site-header">
  <div class="site-header__inner">
    <a class="site-name" href="/web/home">${W.site}</a>
    ${input.nav ? html`<span class="site-who">${input.nav.who}</span>` : ""}
  </div>
  ${input.nav ? navigation(input.nav.items) : ""}
</header>
<main id="main" class="main" tabindex="-1">
${input.body}
</main>
<footer class="site-footer"><p>${W.footer}</p></footer>
</body>
</html>`;
}

function navigation(items: readonly NavItem[]): SafeHtml {
  return html`<nav class="site-nav" aria-label="${W.nav.label}">
    <ul>
      ${items.map(
        (item) =>
          html`<li><a href="${item.href}"${item.current ? html` aria-current="page"` : ""}>${item.label}</a></li>`,
      )}
      <li class="site-nav__logout">
        <form method="post" action="/web/logout"><button type="submit" class="link-button">${W.nav.logout}</button></form>
      </li>
    </ul>
  </nav>`;
}
