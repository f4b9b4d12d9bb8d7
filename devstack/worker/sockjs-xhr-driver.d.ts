// sockjs-client's Node XHR driver (CommonJS, untyped): only its prototype is touched, by
// sockjs-stream-end.ts.
declare module 'sockjs-client/lib/transport/driver/xhr.js' {
  const XhrDriver: { prototype: Record<PropertyKey, unknown> };
  export default XhrDriver;
}
