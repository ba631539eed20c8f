import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import { i18n, currentLocale } from './i18n'
import { setUnauthenticatedHandler } from './api/client'
import { useSession } from './stores/session'
import { startOutbox } from './offline/outbox'
import './styles.css'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia).use(i18n).use(router)
document.documentElement.lang = currentLocale()

setUnauthenticatedHandler(() => {
  const session = useSession(pinia)
  if (!session.me) return
  session.forget()
  const here = router.currentRoute.value
  if (!here.meta.public) void router.replace({ name: 'login', query: { next: here.fullPath } })
})

app.mount('#app')

// Submissions waiting on this device (IndexedDB outbox) are sent now and whenever the
// connection comes back, on every screen.
startOutbox()

// The service worker keeps the shell available offline; `?nosw` keeps tests deterministic.
if ('serviceWorker' in navigator && import.meta.env.PROD && !location.search.includes('nosw')) {
  void import('virtual:pwa-register').then(({ registerSW }) => registerSW({ immediate: true }))
}
