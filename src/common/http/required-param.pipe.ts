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

const WALLET_ADDRESS = /^0[xX][0-9a-fA-F]{40}$/;

/**
 * A required wallet address parameter: 40 hex digits after `0x`, any case, kept verbatim (the
 * JWT subject is the string the worker sent). Anything else is a 400 naming the parameter, so
 * arbitrary strings never reach the challenge store.
 */
@Injectable()
export class WalletAddressParamPipe extends RequiredParamPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): string {
    const text = super.transform(value, metadata);
    if (!WALLET_ADDRESS.test(text)) {
      throw new BadRequestException(
        `Request parameter '${metadata.data ?? ''}' must be a wallet address (0x and 40 hex digits)`,
      );
    }
    return text;
  }
}
