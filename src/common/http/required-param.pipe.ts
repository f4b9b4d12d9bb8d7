import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/**
 * A required query parameter as Spring reads a `String` one: absent → 400 framework error;
 * repeated → the values joined with commas; an empty value is a value.
 */
@Injectable()
export class RequiredParamPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (value === undefined || value === null) {
      throw new BadRequestException(
        `Required request parameter '${metadata.data ?? ''}' for method parameter type String is not present`,
      );
    }
    return Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
}
