import { HttpException } from '@nestjs/common';

/**
 * A refused read of the public task and logs endpoints (T1–T7), answered with the Spring-style
 * JSON body whose `error` also carries the reason (`Not Found: task 0x… is unknown to this
 * scheduler`): the iExec SDK prints `API error: <error>` and nothing else, and for an empty body
 * only "The http response is not of JSON type". No worker reads these endpoints.
 */
export class ReadApiException extends HttpException {
  constructor(
    status: number,
    readonly reason: string,
  ) {
    super(reason, status);
  }
}
