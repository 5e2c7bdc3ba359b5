/** A pattern AWS would refuse; the message is the reason AWS gives (InvalidEventPatternException). */
export class PatternError extends Error {}
