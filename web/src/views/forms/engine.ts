// ODK Web Forms mounted as its own small Vue app inside a screen, the way a host application
// embeds it. Its module (the ODK engine with its WebAssembly XPath parser) is imported here
// only, so it becomes a chunk that just the form-filling route loads.
import { createApp, h, isVNode, type App, type VNode } from 'vue'

export interface InstancePayloadData extends FormData {}

export interface SubmitPayload {
  status: 'ready' | 'pending'
  data: InstancePayloadData[]
}

export type SubmitCallback = (result: { next: symbol } | Promise<{ next: symbol }>) => void

export interface MountedForm {
  // The instance as it stands (answers typed so far) as XML, or null before the form is ready.
  currentXml(): Promise<string | null>
  unmount(): void
}

export interface MountOptions {
  formXml: string
  restoreXml: string | null
  // Files the restored instance refers to (an edited submission's photos), fetched on demand.
  restoreAttachments?: { names: string[]; resolve: (name: string) => Promise<Blob> }
  fetchAttachment: (url: URL | string) => Promise<Response>
  onSubmit: (xml: string, files: { name: string; blob: Blob }[]) => Promise<void>
  onError: (message: string) => void
}

interface EngineRoot {
  prepareInstancePayload(options: { payloadType: 'monolithic' }): SubmitPayload | Promise<SubmitPayload>
}

const INSTANCE_FILE = 'xml_submission_file'

// OdkWebForm keeps the engine's root node to itself but hands it to its header component as the
// `form` prop; finding it there lets drafts be saved while the user types.
function findRoot(node: VNode | null | undefined, depth = 0): EngineRoot | null {
  if (!node || depth > 60) return null
  const form = (node.props as Record<string, unknown> | null)?.form as EngineRoot | undefined
  if (form && typeof form.prepareInstancePayload === 'function') return form
  if (node.component) {
    const found = findRoot(node.component.subTree, depth + 1)
    if (found) return found
  }
  if (Array.isArray(node.children)) {
    for (const child of node.children) {
      if (!isVNode(child)) continue
      const found = findRoot(child, depth + 1)
      if (found) return found
    }
  }
  return null
}

async function splitPayload(data: FormData): Promise<{ xml: string; files: { name: string; blob: Blob }[] }> {
  const instance = data.get(INSTANCE_FILE)
  if (!(instance instanceof Blob)) throw new Error('the form engine produced no instance')
  const files: { name: string; blob: Blob }[] = []
  data.forEach((value, name) => {
    if (name !== INSTANCE_FILE && value instanceof Blob) files.push({ name: value instanceof File ? value.name : name, blob: value })
  })
  return { xml: await instance.text(), files }
}

export async function mountForm(host: HTMLElement, options: MountOptions): Promise<MountedForm> {
  const { OdkWebForm, POST_SUBMIT__NEW_INSTANCE, webFormsPlugin } = await import('@getodk/web-forms')
  const onSubmit = async (payload: SubmitPayload, callback: SubmitCallback) => {
    try {
      const { xml, files } = await splitPayload(payload.data[0])
      await options.onSubmit(xml, files)
      callback({ next: POST_SUBMIT__NEW_INSTANCE })
    } catch (e) {
      options.onError(e instanceof Error ? e.message : String(e))
    }
  }
  const restore = options.restoreXml
  const app: App = createApp({
    render: () =>
      h(OdkWebForm, {
        formXml: options.formXml,
        fetchFormAttachment: options.fetchAttachment,
        missingResourceBehavior: 'BLANK',
        editInstance: restore
          ? {
              resolveInstance: async () => restore,
              attachmentFileNames: options.restoreAttachments?.names ?? [],
              resolveAttachment: (name: string) => options.restoreAttachments?.resolve(name) ?? Promise.resolve(new Blob()),
            }
          : undefined,
        onSubmit,
      }),
  })
  app.use(webFormsPlugin)
  app.config.errorHandler = (error) => options.onError(error instanceof Error ? error.message : String(error))
  const vm = app.mount(host)
  return {
    async currentXml() {
      const root = findRoot(vm.$.subTree)
      if (!root) return null
      const payload = await root.prepareInstancePayload({ payloadType: 'monolithic' })
      return (await splitPayload(payload.data[0])).xml
    },
    unmount() {
      app.unmount()
    },
  }
}
