"""VPC networking in Terraform: ``aws_vpc``, ``aws_subnet``, ``aws_route_table``,
``aws_route``, ``aws_route_table_association``, ``aws_main_route_table_association``,
``aws_default_route_table``, ``aws_nat_gateway``, ``aws_internet_gateway``,
``aws_egress_only_internet_gateway``, ``aws_vpc_endpoint`` and ``aws_security_group`` with its
rule resources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdalint.model import Network

if TYPE_CHECKING:
    from lambdalint.parsers.terraform.module import ModuleParser


def read(p: ModuleParser) -> Network:
    return Network()
