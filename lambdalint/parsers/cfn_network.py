"""VPC networking in CloudFormation: VPCs, subnets, route tables and routes, associations,
NAT and internet gateways, endpoints and security groups."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdalint.model import Network

if TYPE_CHECKING:
    from lambdalint.parsers.cloudformation import TemplateParser


def read(p: TemplateParser) -> Network:
    return Network()
