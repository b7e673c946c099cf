// The guides' script: the portal shell and this server's address in the examples.
import { start } from '/assets/app.js';

start();
document.querySelectorAll('.origin').forEach((n) => { n.textContent = location.origin; });
