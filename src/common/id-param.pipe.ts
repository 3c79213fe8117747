import { Injectable, PipeTransform } from '@nestjs/common';
import { notFound } from './errors.js';
import { isId, type IdKind } from './ids.js';

/** A path id of the wrong shape is a 404 before any query: ids leak nothing. */
@Injectable()
export class IdParamPipe implements PipeTransform<string, string> {
  constructor(
    private readonly kind: IdKind,
    private readonly what: string,
  ) {}

  transform(value: string): string {
    if (!isId(this.kind, value)) throw notFound(this.what);
    return value;
  }
}
