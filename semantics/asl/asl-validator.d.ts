// asl-validator 4.0.0 ships JavaScript without type declarations; this is the part we call.
declare module "asl-validator" {
  interface AslValidatorError {
    "Error code": string;
    Message: string;
    schemaError?: { instancePath?: string; schemaPath?: string };
  }
  interface AslValidatorResult {
    isValid: boolean;
    errors: AslValidatorError[];
    errorsText: (separator?: string) => string;
  }
  function aslValidator(definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }): AslValidatorResult;
  export default aslValidator;
}
