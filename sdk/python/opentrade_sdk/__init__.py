"""OpenTrade's Python SDK: the REST client generated from openapi/opentrade.yaml (package ``opentrade``),
with the gateway's credentials (``signing``) and resuming WebSocket streams (``stream``)."""

from .client import OpenTrade, SigningPoolManager, api_client
from .errors import (ConnectionException, OrderRejectedException, OrderStatusUnknownException, RateLimitException,
                     StreamRefusedException, UnexpectedResponseException)
from .signing import Ed25519Key, SecretKey, Session, string_to_sign
from .stream import Stream, StreamMessage

__all__ = ["OpenTrade", "SigningPoolManager", "api_client", "ConnectionException", "OrderRejectedException",
           "OrderStatusUnknownException", "RateLimitException", "StreamRefusedException", "UnexpectedResponseException",
           "Ed25519Key", "SecretKey", "Session", "string_to_sign", "Stream", "StreamMessage"]
