"""The GraphQL API: a thin adapter (strawberry, Starlette) over the framework-free core."""
