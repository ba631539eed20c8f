// The program page's shared state: its sub-pages read and refresh the program through this.
import type { InjectionKey, Ref } from 'vue'
import type { Tagged } from '@/api/client'
import type { Program } from './types'

export interface ProgramContext {
  program: Ref<Tagged<Program> | null>
  reload: () => Promise<void>
}

export const programKey: InjectionKey<ProgramContext> = Symbol('program')
