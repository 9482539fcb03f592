// Syntax highlighting for the diff on a proposal's page. The page reads fine without it: diff2html
// rendered the diff on the server, and this only colours the code (diff2html's own highlighter,
// which escapes the text it highlights).
(function () {
  'use strict';
  var target = document.querySelector('[data-diff]');
  var ui = window.Diff2HtmlUI;
  if (!target || typeof ui !== 'function') return;
  try {
    new ui(target, undefined, { highlight: true }).highlightCode();
    target.setAttribute('data-highlighted', 'true');
  } catch (error) {
    // Uncoloured code is still correct code: leave the diff as the server rendered it.
    if (window.console) window.console.warn('diff highlighting failed', error);
  }
})();
