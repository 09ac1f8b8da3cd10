const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export const pad2 = (value: number) => (value < 10 ? `0${value}` : String(value));

/** Timestamps as the various programs print them, recomputed once per second (hosts run in UTC). */
export class TimeText {
  private second = -1;
  private year = '';
  private month = '';
  private monthName = '';
  private day = '';
  private dayNumber = 0;
  private clock = '';

  private at(us: number): void {
    const second = Math.floor(us / 1e6);
    if (second === this.second) return;
    this.second = second;
    const date = new Date(second * 1000);
    this.year = String(date.getUTCFullYear());
    this.month = pad2(date.getUTCMonth() + 1);
    this.monthName = MONTHS[date.getUTCMonth()] as string;
    this.dayNumber = date.getUTCDate();
    this.day = pad2(this.dayNumber);
    this.clock = `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`;
  }

  private fraction(us: number, digits: number): string {
    return String(Math.floor(us % 1e6))
      .padStart(6, '0')
      .slice(0, digits);
  }

  /** `Jun  3 00:00:01 `, the SYSLOG_TIMESTAMP field (with its trailing space). */
  syslog(us: number): string {
    this.at(us);
    return `${this.monthName} ${String(this.dayNumber).padStart(2, ' ')} ${this.clock} `;
  }

  nginxAccess(us: number): string {
    this.at(us);
    return `${this.day}/${this.monthName}/${this.year}:${this.clock} +0000`;
  }

  nginxError(us: number): string {
    this.at(us);
    return `${this.year}/${this.month}/${this.day} ${this.clock}`;
  }

  iso(us: number, digits: number): string {
    this.at(us);
    const fraction = digits > 6 ? this.fraction(us, 6) + '0'.repeat(digits - 6) : this.fraction(us, digits);
    return `${this.year}-${this.month}-${this.day}T${this.clock}.${fraction}Z`;
  }

  klog(us: number): string {
    this.at(us);
    return `${this.month}${this.day} ${this.clock}.${this.fraction(us, 6)}`;
  }

  postgres(us: number): string {
    this.at(us);
    return `${this.year}-${this.month}-${this.day} ${this.clock}.${this.fraction(us, 3)} UTC`;
  }
}
