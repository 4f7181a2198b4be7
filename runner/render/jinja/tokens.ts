// Token shapes shared by the lexer and its rewrites (the {value, type} @huggingface/jinja's parser reads).
export type TokType =
  | 'Text' | 'NumericLiteral' | 'StringLiteral' | 'Identifier' | 'Equals' | 'OpenParen' | 'CloseParen'
  | 'OpenStatement' | 'CloseStatement' | 'OpenExpression' | 'CloseExpression' | 'OpenSquareBracket'
  | 'CloseSquareBracket' | 'OpenCurlyBracket' | 'CloseCurlyBracket' | 'Comma' | 'Dot' | 'Colon' | 'Pipe'
  | 'AdditiveBinaryOperator' | 'MultiplicativeBinaryOperator' | 'ExponentiationBinaryOperator'
  | 'ComparisonBinaryOperator' | 'Comment';

export interface Tok {
  value: string;
  type: TokType;
}
export interface Pos {
  line: number;
  col: number;
}

/** `x is not t` becomes the filter `\0isnot:t`, `x is t` the filter `\0is:t`. */
export const TEST_PREFIX = '\0is';
export const SENTINEL = '\0';

