// The sample's single-page section: client-side routes under /app, rendered without a page load. Nothing here knows
// about analytics; AutoTrack's script sees the route changes (history.pushState, popstate) and the marked button.
(function () {
  'use strict';
  var routes = {
    '/app': { title: 'App · Home', html: '<h1>Welcome back</h1><p>Pick a section above: the address changes, the page does not reload.</p>' },
    '/app/projects': {
      title: 'App · Projects',
      html: '<h1>Projects</h1><ul><li>Website relaunch</li><li>Q3 pricing test</li></ul>' +
        '<button class="button" id="new-project" data-thrivestack-feature="project_created">New project</button>'
    },
    '/app/settings': { title: 'App · Settings', html: '<h1>Settings</h1><p>Notifications: on. Weekly digest: Mondays.</p>' }
  };

  function render() {
    var route = routes[location.pathname] || { title: 'App · Not found', html: '<h1>Not found</h1>' };
    document.getElementById('view').innerHTML = route.html;
    document.title = route.title;
  }

  document.addEventListener('click', function (event) {
    var link = event.target.closest ? event.target.closest('a[data-route]') : null;
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    if (link.getAttribute('href') === location.pathname) return;
    history.pushState({}, '', link.getAttribute('href'));
    render();
  });
  window.addEventListener('popstate', render);
  render();
})();
