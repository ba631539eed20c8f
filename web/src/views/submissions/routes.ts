// Submissions: the filtered table with exports, and one submission with its review.
import type { AreaRoutes } from '@/router'

export const orgRoutes: AreaRoutes['orgRoutes'] = [
  { path: 'submissions', name: 'submissions', component: () => import('./SubmissionsView.vue') },
  { path: 'submissions/:id', name: 'submission', component: () => import('./SubmissionView.vue') },
  // Loads the ODK engine, like filling a form.
  { path: 'submissions/:id/edit', name: 'submission-edit', component: () => import('./EditSubmissionView.vue') },
]
