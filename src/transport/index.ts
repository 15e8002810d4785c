export { toNetworkFailure, toAttemptResult, lowerCaseHeaders, bodyToText } from './toNetworkFailure';
export { createAxiosSend, type AxiosSendOptions } from './createAxiosSend';
