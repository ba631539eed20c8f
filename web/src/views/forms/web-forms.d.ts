// @getodk/web-forms 0.22 ships JavaScript without type declarations: the three exports used here.
declare module '@getodk/web-forms' {
  import type { Component, Plugin } from 'vue'
  export const OdkWebForm: Component
  export const POST_SUBMIT__NEW_INSTANCE: symbol
  export const webFormsPlugin: Plugin
}
