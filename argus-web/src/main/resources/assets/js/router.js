// Views: shows the view the URL fragment names (`#view=name`, default "events") and hides the others.
//
// A view is { show(), hide(), update()? } registered by name in app.js (update: the fragment changed
// while it shows). The events list is the only view
// today; a new one (sessions, tasks, …) goes in js/views/<name>.js, exports its view object, marks
// its page region with data-view="<name>" (sectionView does the showing and hiding) and is
// registered in app.js. The filter in the fragment is kept across views.

import { DEFAULT_VIEW, onHashChange, viewFromHash } from './url-state.js';

/** A view that is the page regions marked `data-view="name"`. */
export function sectionView(name) {
  const regions = () => document.querySelectorAll(`[data-view="${name}"]`);
  return {
    show() { for (const r of regions()) r.hidden = false; },
    hide() { for (const r of regions()) r.hidden = true; },
  };
}

/** Routes now and on each fragment change; unknown names fall back to the default view. */
export function startRouter(views) {
  let current = null;
  const route = () => {
    const wanted = viewFromHash();
    const name = Object.hasOwn(views, wanted) ? wanted : DEFAULT_VIEW;
    if (name === current) {
      if (views[name].update) views[name].update(); // its own fragment values changed (task=, session=)
      return;
    }
    if (current) views[current].hide();
    else for (const other of Object.keys(views)) if (other !== name) views[other].hide(); // first route: only one shows
    current = name;
    views[name].show();
  };
  onHashChange(route);
  route();
  return { current: () => current };
}
