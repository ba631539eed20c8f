// Numbers, dates and money in the user's language: id-ID writes 1.234,5 and 28/11/2026.
import { currentLocale } from './index'

function tag(): string {
  return currentLocale() === 'id' ? 'id-ID' : 'en-GB'
}

export function fmtNumber(n: number | null | undefined, digits = 2): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–'
  return new Intl.NumberFormat(tag(), { maximumFractionDigits: digits }).format(n)
}

export function fmtPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '–'
  return new Intl.NumberFormat(tag(), { style: 'percent', maximumFractionDigits: 0 }).format(ratio)
}

/** A calendar date (YYYY-MM-DD) or a timestamp, shown as a date. */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '–'
  const d = iso.length === 10 ? new Date(iso + 'T00:00:00Z') : new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(tag(), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: iso.length === 10 ? 'UTC' : undefined }).format(d)
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '–'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(tag(), { dateStyle: 'short', timeStyle: 'short' }).format(d)
}

/** Digits after the decimal point of the API's minor unit: the server keeps rupiah whole. */
export function minorDigits(currency: string): number {
  if (currency === 'IDR') return 0
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    return 2
  }
}

/** Money is int64 minor units + currency on the wire. */
export function fmtMoney(minor: number | null | undefined, currency = 'IDR'): string {
  if (minor === null || minor === undefined) return '–'
  const digits = minorDigits(currency)
  const value = minor / Math.pow(10, digits)
  try {
    return new Intl.NumberFormat(tag(), { style: 'currency', currency, maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value)
  } catch {
    return `${fmtNumber(value, digits)} ${currency}`
  }
}

/** Parses a user-typed amount ("1.500.000" in id, "1,500,000.50" in en) into minor units. */
export function parseMoney(text: string, currency = 'IDR'): number | null {
  const digits = minorDigits(currency)
  let s = text.replace(/[^0-9.,-]/g, '')
  if (!s) return null
  if (currentLocale() === 'id') s = s.replace(/\./g, '').replace(',', '.')
  else s = s.replace(/,/g, '')
  const v = Number(s)
  if (!Number.isFinite(v)) return null
  return Math.round(v * Math.pow(10, digits))
}

/** Today as YYYY-MM-DD in local time (for date inputs). */
export function today(): string {
  const d = new Date()
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}
