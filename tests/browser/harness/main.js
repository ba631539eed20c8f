// Mounts ODK Web Forms' <OdkWebForm> with the XForm at ?form=URL, the way a host application
// does, so run.mjs can watch the real engine load and render it.
//
// What run.mjs reads back:
// - the component's own `.form-initialization-status` element (class loading / ready / error),
//   and on error its load-failure dialog (`.form-load-failure-dialog .message`);
// - window.__harness.errors: errors Vue caught inside components (in a production build Vue only
//   logs those, so they would never become uncaught page errors) and harness failures;
// - window.__harness.attachments: the attachment URLs the engine asked for.
import { createApp, h } from 'vue';
import { OdkWebForm, webFormsPlugin } from '@getodk/web-forms';

const harness = { errors: [], attachments: [] };
window.__harness = harness;

const describe = (error) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

async function main() {
  const formParam = new URLSearchParams(location.search).get('form');
  if (!formParam) throw new Error('no ?form= parameter');
  const formUrl = new URL(formParam, location.href);
  const response = await fetch(formUrl);
  if (!response.ok) throw new Error(`fetching ${formUrl}: HTTP ${response.status}`);
  const formXml = await response.text();

  // Attachments (jr://file-csv/x.csv, jr://images/a.jpg, ...) are looked up by file name beside
  // the form; run.mjs answers 404 for those the corpus does not ship.
  const fetchFormAttachment = (url) => {
    const href = String(url?.href ?? url);
    harness.attachments.push(href);
    const name = href.slice(href.lastIndexOf('/') + 1);
    return fetch(new URL(`attachments/${encodeURIComponent(name)}`, formUrl));
  };

  const app = createApp({
    render: () =>
      h(OdkWebForm, {
        formXml,
        fetchFormAttachment,
        // A CSV the corpus does not ship loads as an empty secondary instance instead of failing
        // the form: what is checked here is our XForm, not the corpus's missing files.
        missingResourceBehavior: 'BLANK',
      }),
  });
  app.use(webFormsPlugin);
  app.config.errorHandler = (error, _instance, info) => {
    harness.errors.push(`Vue error (${info}): ${describe(error)}`);
    console.error(error);
  };
  app.mount('#app');
}

main().catch((error) => {
  harness.errors.push(`harness: ${describe(error)}`);
  throw error;
});
