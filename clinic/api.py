"""JSON API v1: the public contract for booking widgets and apps."""

from ninja import NinjaAPI

api = NinjaAPI(title="Clinic booking API", version="1", urls_namespace="api-v1")
