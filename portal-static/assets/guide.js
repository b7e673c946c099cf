// The guides' script: the portal shell, this server's address in the examples, and the guide's language.
//
// Each guide is two static files: English at /guides/<name>.html (<html lang="en">) and 简体中文 at
// /guides/zh/<name>.html (<html lang="zh-CN">), with the same sections and the same code blocks
// (GuidesTest keeps them so). Links elsewhere in the portal point at the English path. On start, and
// when the reader switches language, a guide whose file is in the other language than the chosen one
// replaces itself with its counterpart (same section anchor). The file's own <html lang> decides, read
// before app.js's start() (which sets <html lang> to the chosen language); a file already in the chosen
// language never navigates, so the two files cannot bounce between each other. location.replace keeps
// the switch out of the history, as on the other pages (Back leaves the guide instead of switching back).
import { lang, onLanguageChange, start } from '/assets/app.js';

const FILE_LANG = document.documentElement.lang.toLowerCase().startsWith('zh') ? 'zh' : 'en';

/** The same guide in language l: /guides/rest.html <-> /guides/zh/rest.html, query and anchor kept. */
function counterpart(l) {
  const name = location.pathname.split('/').pop();
  return (l === 'zh' ? '/guides/zh/' : '/guides/') + name + location.search + location.hash;
}

/** Goes to the guide's file in language l when this file is in the other one; true if it navigates. */
function follow(l) {
  if (l === FILE_LANG) return false;
  // Hidden until the counterpart loads: the wrong language does not flash, and nothing waits on it.
  document.documentElement.style.visibility = 'hidden';
  location.replace(counterpart(l));
  return true;
}

if (!follow(lang())) {
  start();
  document.querySelectorAll('.origin').forEach((n) => { n.textContent = location.origin; });
  onLanguageChange(follow);
}
