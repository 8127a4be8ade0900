/** A permanent refusal: retrying changes nothing (bad number, template missing, channel off). */
export class PermanentDeliveryError extends Error {}
