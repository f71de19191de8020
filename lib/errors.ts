// Domain errors: each maps to an HTTP status and a message safe to show to the user.
export class DomainError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class DuplicateEmailError extends DomainError {
  constructor() {
    super("An account with this email already exists. Sign in instead, or use another email.", 409);
  }
}
export class InvalidCredentialsError extends DomainError {
  constructor(message = "That email and password do not match an account.") {
    super(message, 401);
  }
}
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(`${what} was not found.`, 404);
  }
}
export class ForbiddenError extends DomainError {
  constructor(message = "You do not have permission to do that.") {
    super(message, 403);
  }
}
export class InvalidTokenError extends DomainError {
  constructor() {
    super("This link is invalid, has expired or has already been used. Ask an admin for a new one.", 410);
  }
}
