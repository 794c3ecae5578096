"""Test-only launcher: moto's server in-process, plus a few /_test/ routes.

The routes exist only here, never in the product:
  GET    /_test/calls                  {"<service>:<Action>": count} since the last reset
  GET    /_test/requests               [{"service", "action", "params"}] in order
  POST   /_test/calls/reset            zero both
  GET    /_test/ec2/default-network?region=R   {"vpcId", "subnetIds"} of moto's default VPC
  POST   /_test/elbv2/load-balancers       {"region", "loadBalancers": [{"name", "type", "tags",
                                       "securityGroup"?, "targetGroups"?, "nodeRules"?}]}: bulk creation
                                       straight in moto's backend (default VPC), for benchmark worlds.
                                       securityGroup {"name", "tags"}: a front-end group the load
                                       balancer has (SecurityGroups); targetGroups [{"name", "port",
                                       "tags"}]: TCP instance target groups, each forwarded by a TCP
                                       listener (80, 81, ...); nodeRules [{"groupId", "description",
                                       "fromPort", "toPort"}]: an ingress rule in that (node) group from
                                       the front-end group. -> [{"arn", "dnsName", "securityGroupId",
                                       "targetGroupArns"}]
  POST   /_test/ec2/security-groups    {"region", "securityGroups": [{"name", "description"?, "tags"}]}:
                                       bulk creation in moto's backend (default VPC) -> [{"groupId"}]
  POST   /_test/ec2/network            {"region", "cidr"}: a new VPC with two subnets in different
                                       AZs -> {"vpcId", "subnetIds"}
  POST   /_test/elbv2/created-time     {"region", "arn", "createdAt"}: set a load balancer's CreatedTime
                                       (ISO 8601) as DescribeLoadBalancers answers it
  POST   /_test/eks/clusters/<name>    {"region", "endpoint"?, "certificateAuthorityData"?, "createdAt"?}:
                                       point an emulated cluster at a fake API server (moto makes up
                                       both) and/or set its createdAt (ISO 8601)
  POST   /_test/faults                 queue an AWS error, a short DescribeTags answer or a delay, see AwsFault
  DELETE /_test/faults                 clear them
  POST   /_test/elbv2/bucket           {"capacity", "refillPerSecond"}: from now on, ELBv2 describe calls
                                       share one token bucket as in AWS (per account and region; here one
                                       for the whole emulator) and are answered Throttling past it
  GET    /_test/elbv2/bucket           {"served", "throttled"} describe calls since the bucket was set
  DELETE /_test/elbv2/bucket           no bucket (the default)
POST /moto-api/reset resets moto and all of the above.

Patched moto behaviour, as in real EKS: DescribeCluster's resourcesVpcConfig.vpcId is the VPC
of the cluster's first subnet (moto leaves it out; EKS derives it at CreateCluster). As in
ELBv2, a deleted load balancer's target groups no longer list it in LoadBalancerArns, and a
network load balancer's ARN says loadbalancer/net/ (moto writes app/ for every type).

Faster, not different: an EC2 resource's tags are looked up by its id (moto scans every tag of the
region for each resource, quadratic in tagged security groups).

Patched moto behaviour, as in real ELBv2: DescribeTargetGroups pages by PageSize (1 to 400, default
400) and Marker (moto answers every target group at once).

Patched moto behaviour, as in the real Resource Groups Tagging API: GetResources pages by
ResourcesPerPage (1 to 100, default 100) alone when it is given — moto 5.2.1 also cuts every
page at its default TagsPerPage of 100 tags, so a page of load balancers with 3 tags each held
33 — and validates both limits (moto's range checks never fire); a paginated query answers from
the resources as they were at its first page, as AWS's token does, instead of iterating moto's
live dictionaries (which fails when a resource is created between pages).

Patched moto behaviour, as in real EC2: DescribeSecurityGroups, DescribeSecurityGroupRules and
DescribeNetworkInterfaces page by MaxResults (5 to 1000, else InvalidParameterValue) and NextToken,
in the order of their ids (moto answers everything in one page and checks no range). A rule whose
source is a security group has its Description in DescribeSecurityGroupRules (moto drops it).
DeleteSecurityGroup answers DependencyViolation while a network interface or a load balancer holds
the group or another group's rule names it (moto deletes it regardless). Revoking an unknown
SecurityGroupRuleIds answers InvalidSecurityGroupRuleId.NotFound (moto: InvalidPermission.NotFound).

Beyond moto, as AWS does it:
  - Global Accelerator, which moto lacks: a small in-memory fake of the JSON 1.1 API
    (Create/List Accelerators, Listeners, EndpointGroups; DeleteEndpointGroup) with MaxResults/NextToken, served
    only to requests signed for us-west-2, where the API lives;
  - API Gateway GetVpcLinks pages with limit (default 25) and position, which moto ignores;
  - CloudWatch GetMetricData refuses more than 500 queries a call, which moto does not check.

Usage: python3 moto_launcher.py [port]   (prints "READY <port>" once listening)
"""

import base64
import datetime
import io
import ipaddress
import json
import re
import sys
import threading
import time
import urllib.parse
import uuid

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ec2.exceptions import InvalidSubnetIdError
from moto.ec2.models import ec2_backends
from moto.core.utils import iso_8601_datetime_with_milliseconds
from moto.eks.exceptions import InvalidParameterException
from moto.eks.models import EKSBackend, eks_backends
from moto.elbv2.models import ELBv2Backend, elbv2_backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")

# REST-JSON services name the operation by method and path, not by an Action parameter.
EKS_ROUTES = [
    ("GET", re.compile(r"^/clusters/[^/]+$"), "DescribeCluster"),
    ("GET", re.compile(r"^/clusters/?$"), "ListClusters"),
    ("POST", re.compile(r"^/clusters/?$"), "CreateCluster"),
    ("DELETE", re.compile(r"^/clusters/[^/]+$"), "DeleteCluster"),
]
APIGATEWAY_ROUTES = [
    ("GET", re.compile(r"^/vpclinks/?$"), "GetVpcLinks"),
    ("POST", re.compile(r"^/vpclinks/?$"), "CreateVpcLink"),
]
REST_ROUTES = {"eks": EKS_ROUTES, "apigateway": APIGATEWAY_ROUTES}
# Protocols whose errors are JSON: {"__type"} bodies (JSON 1.0/1.1) or x-amzn-ErrorType (REST-JSON).
JSON_RPC_CONTENT_TYPES = {
    "globalaccelerator": "application/x-amz-json-1.1",
    "monitoring": "application/x-amz-json-1.0",
    "tagging": "application/x-amz-json-1.1",
}


def with_vpc_id(account_id, region, config):
    """resourcesVpcConfig as EKS keeps it: with the vpcId of its subnets, which must all share one VPC."""
    if not config or not config.get("subnetIds"):
        return config
    ec2 = ec2_backends[account_id][region]
    vpc_ids = set()
    for subnet_id in config["subnetIds"]:
        try:
            vpc_ids.add(ec2.get_subnet(subnet_id).vpc_id)
        except InvalidSubnetIdError:
            raise InvalidParameterException(message=f"The subnet ID '{subnet_id}' does not exist") from None
    if len(vpc_ids) > 1:
        raise InvalidParameterException(message="Subnets specified must be in the same VPC")
    return {**config, "vpcId": vpc_ids.pop()}


def patch_eks():
    create_cluster = EKSBackend.create_cluster
    update_cluster_config = EKSBackend.update_cluster_config

    def create_cluster_with_vpc(self, name, role_arn, resources_vpc_config, *args, **kwargs):
        config = with_vpc_id(self.account_id, self.region_name, resources_vpc_config)
        return create_cluster(self, name, role_arn, config, *args, **kwargs)

    def update_cluster_config_keeping_vpc(self, name, *args, **kwargs):
        cluster = self.clusters.get(name)
        vpc_id = None if cluster is None else (cluster.resources_vpc_config or {}).get("vpcId")
        result = update_cluster_config(self, name, *args, **kwargs)
        if vpc_id is not None and "vpcId" not in (cluster.resources_vpc_config or {}):
            # EKS cannot move a cluster to another VPC: an update keeps the one it had.
            cluster.resources_vpc_config = {**cluster.resources_vpc_config, "vpcId": vpc_id}
        return result

    EKSBackend.create_cluster = create_cluster_with_vpc
    EKSBackend.update_cluster_config = update_cluster_config_keeping_vpc


patch_eks()


def patch_elbv2():
    delete_load_balancer = ELBv2Backend.delete_load_balancer

    def delete_load_balancer_releasing_target_groups(self, arn):
        # As ELBv2 does: the listeners go with the load balancer, so its target groups
        # no longer name it (moto leaves the ARN in their LoadBalancerArns).
        delete_load_balancer(self, arn)
        for group in self.target_groups.values():
            if arn in group.load_balancer_arns:
                group.load_balancer_arns.remove(arn)

    ELBv2Backend.delete_load_balancer = delete_load_balancer_releasing_target_groups

    # As ELBv2 does: a network load balancer's ARN says net/, an application one's app/
    # (moto writes app/ for every type).
    import moto.elbv2.models as elbv2_models

    make_arn = elbv2_models.make_arn_for_load_balancer
    creating = threading.local()

    def make_arn_of_type(account_id, lb_id, name, region_name):
        arn = make_arn(account_id=account_id, lb_id=lb_id, name=name, region_name=region_name)
        if getattr(creating, "type", None) == "network":
            arn = arn.replace(":loadbalancer/app/", ":loadbalancer/net/", 1)
        return arn

    create_load_balancer = ELBv2Backend.create_load_balancer

    def create_load_balancer_of_type(self, *args, **kwargs):
        creating.type = kwargs.get("loadbalancer_type")
        try:
            return create_load_balancer(self, *args, **kwargs)
        finally:
            creating.type = None

    elbv2_models.make_arn_for_load_balancer = make_arn_of_type
    ELBv2Backend.create_load_balancer = create_load_balancer_of_type


patch_elbv2()


def patch_ec2_tag_lookup():
    """A resource's own tags looked up by its id. moto 5.2.1 finds them by scanning (and copying)
    every tag of the region for each resource, in each filter and each rendered item, which is
    quadratic: a DescribeSecurityGroups filtered by tag over 5,000 tagged groups took minutes. The
    answer is the same (a resource's tags, as DescribeTags gives them)."""
    from moto.ec2.models.core import TaggedEC2Resource
    from moto.ec2.utils import EC2_PREFIX_TO_RESOURCE, get_prefix

    def get_tags(self):
        resource_id = getattr(self, "id", None)
        if not resource_id:
            return []
        own = self.ec2_backend.tags.get(resource_id) or {}
        resource_type = EC2_PREFIX_TO_RESOURCE.get(get_prefix(resource_id), "")
        return [
            {"resource_id": resource_id, "key": key, "value": value, "resource_type": resource_type}
            for key, value in own.items()
        ]

    TaggedEC2Resource.get_tags = get_tags


patch_ec2_tag_lookup()


def patch_describe_target_groups_paging():
    """DescribeTargetGroups pages by PageSize (1 to 400, default 400) and Marker, as ELBv2 does;
    moto 5.2.1 answers every target group in one page, so a caller's paging loop was never
    exercised. The Marker names the last target group of the page before (opaque to the caller);
    one that no longer exists is refused as ELBv2 refuses a bad marker (ValidationError)."""
    from moto.core.responses import ActionResult
    from moto.elbv2.exceptions import ValidationError
    from moto.elbv2.responses import ELBV2Response

    def describe_target_groups(self):
        groups = list(
            self.elbv2_backend.describe_target_groups(
                self._get_param("LoadBalancerArn"), self._get_param("TargetGroupArns", []), self._get_param("Names", [])
            )
        )
        page_size = self._get_int_param("PageSize", 400)
        if not 1 <= page_size <= 400:
            raise ValidationError(f"Value '{page_size}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and 400")
        start = 0
        marker = self._get_param("Marker")
        if marker:
            try:
                last = base64.urlsafe_b64decode(marker.encode()).decode()
                start = [group.arn for group in groups].index(last) + 1
            except (ValueError, UnicodeDecodeError):
                raise ValidationError("The marker is not valid") from None
        page = groups[start : start + page_size]
        result = {"TargetGroups": page}
        if start + page_size < len(groups):
            result["NextMarker"] = base64.urlsafe_b64encode(page[-1].arn.encode()).decode()
        return ActionResult(result)

    ELBV2Response.describe_target_groups = describe_target_groups


patch_describe_target_groups_paging()


def patch_tagging():
    from moto.resourcegroupstaggingapi.exceptions import ResourceGroupsTaggingAPIError
    from moto.resourcegroupstaggingapi.models import ResourceGroupsTaggingAPIBackend
    from moto.resourcegroupstaggingapi.responses import ResourceGroupsTaggingAPIResponse

    generate = ResourceGroupsTaggingAPIBackend._get_resources_generator

    def snapshot_generator(self, *args, **kwargs):
        # A list, not a walk over live dictionaries: later pages see the same resources.
        return iter(list(generate(self, *args, **kwargs)))

    def get_resources(self):
        resources_per_page = self._get_int_param("ResourcesPerPage")
        tags_per_page = self._get_int_param("TagsPerPage")
        if resources_per_page is not None and not 1 <= resources_per_page <= 100:
            raise ResourceGroupsTaggingAPIError("InvalidParameterException", "ResourcesPerPage must be between 1 and 100")
        if tags_per_page is not None and not 100 <= tags_per_page <= 500:
            raise ResourceGroupsTaggingAPIError("InvalidParameterException", "TagsPerPage must be between 100 and 500")
        token, mappings = self.backend.get_resources(
            pagination_token=self._get_param("PaginationToken"),
            tag_filters=self._get_param("TagFilters", []),
            resources_per_page=resources_per_page if resources_per_page is not None else 100,
            # Only a TagsPerPage the caller gave cuts pages by tags.
            tags_per_page=tags_per_page if tags_per_page is not None else 10**9,
            resource_type_filters=self._get_param("ResourceTypeFilters", []),
        )
        return json.dumps({"ResourceTagMappingList": mappings, "PaginationToken": token or ""})

    ResourceGroupsTaggingAPIBackend._get_resources_generator = snapshot_generator
    ResourceGroupsTaggingAPIResponse.get_resources = get_resources


patch_tagging()


class Ec2PageToken:
    """EC2's NextToken here: opaque to the caller, it names the last item of the page before."""

    PREFIX = "after:"

    @classmethod
    def encode(cls, last_key):
        return base64.urlsafe_b64encode(f"{cls.PREFIX}{last_key}".encode()).decode()

    @classmethod
    def decode(cls, token):
        from moto.ec2.exceptions import InvalidNextToken

        try:
            text = base64.urlsafe_b64decode(token.encode()).decode()
        except (ValueError, UnicodeDecodeError):
            raise InvalidNextToken(token) from None
        if not text.startswith(cls.PREFIX):
            raise InvalidNextToken(token)
        return text[len(cls.PREFIX) :]


def ec2_page(response, items, key):
    """(page, NextToken or None) as EC2 pages a describe: MaxResults (5 to 1000) items after NextToken.

    Without MaxResults, everything after the token, as EC2 does. Items go in the order of `key`
    (their id), and a token resumes after the last id it gave: items created or deleted between
    pages neither shift a page nor repeat one.
    """
    from moto.ec2.exceptions import InvalidParameterValue

    maximum = response._get_int_param("MaxResults")
    if maximum is not None and not 5 <= maximum <= 1000:
        raise InvalidParameterValue(
            f"Value ( {maximum} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000."
        )
    ordered = sorted(items, key=key)
    token = response._get_param("NextToken")
    if token:
        after = Ec2PageToken.decode(token)
        ordered = [item for item in ordered if key(item) > after]
    if maximum is None or len(ordered) <= maximum:
        return ordered, None
    page = ordered[:maximum]
    return page, Ec2PageToken.encode(key(page[-1]))


def paged_result(list_key, page, token):
    from moto.core.responses import ActionResult

    result = {list_key: page}
    if token is not None:
        result["NextToken"] = token
    return ActionResult(result)


def patch_ec2_describe_paging():
    """DescribeSecurityGroups, DescribeSecurityGroupRules and DescribeNetworkInterfaces page as in EC2.

    EC2 takes MaxResults (5 to 1000, else InvalidParameterValue) and NextToken, and answers a
    NextToken while more remain; moto 5.2.1 ignores both and answers everything at once, so a
    caller's paging loop was never exercised. Filters are moto's own.
    """
    from moto.ec2.exceptions import InvalidParameterCombination
    from moto.ec2.responses.elastic_network_interfaces import ElasticNetworkInterfaces
    from moto.ec2.responses.security_groups import SecurityGroups

    def describe_security_groups(self):
        groups = self.ec2_backend.describe_security_groups(
            group_ids=self._get_param("GroupIds", []),
            groupnames=self._get_param("GroupNames", []),
            filters=self._filters_from_querystring(),
        )
        return paged_result("SecurityGroups", *ec2_page(self, groups, lambda group: group.id))

    def describe_security_group_rules(self):
        self.error_on_dryrun()
        rules = self.ec2_backend.describe_security_group_rules(
            self._get_param("SecurityGroupRuleIds", []), self._filters_from_querystring()
        )
        return paged_result("SecurityGroupRules", *ec2_page(self, rules, lambda rule: rule.id))

    def describe_network_interfaces(self):
        eni_ids = self._get_param("NetworkInterfaceIds", [])
        if eni_ids and self._get_param("MaxResults") is not None:
            # As EC2 documents it: ids and MaxResults do not go together.
            raise InvalidParameterCombination(
                "The parameter networkInterfaceIdSet cannot be used with the parameter maxResults"
            )
        self.error_on_dryrun()
        enis = self.ec2_backend.get_all_network_interfaces(eni_ids, self._filters_from_querystring())
        return paged_result("NetworkInterfaces", *ec2_page(self, enis, lambda eni: eni.id))

    SecurityGroups.describe_security_groups = describe_security_groups
    SecurityGroups.describe_security_group_rules = describe_security_group_rules
    ElasticNetworkInterfaces.describe_network_interfaces = describe_network_interfaces


patch_ec2_describe_paging()


def patch_security_group_rule_description():
    """A rule's Description is the one given with its source, a group as well as a CIDR, as in EC2.

    moto reads it from a CIDR source only, so DescribeSecurityGroupRules answered none for a rule
    whose source is a security group (DescribeSecurityGroups shows it, in UserIdGroupPairs).
    """
    from moto.ec2.models.security_groups import SecurityGroupRule

    def description(self):
        for source in (self.ip_range, self.source_group):
            if source and source.get("Description") is not None:
                return source["Description"]
        return None

    SecurityGroupRule.description = property(description)


patch_security_group_rule_description()


def security_group_dependents(backend, group):
    """What EC2 counts as a group's dependent objects: the network interfaces that hold it, the
    other groups whose rules name it as source or destination, and the load balancers that have it
    (in EC2 through their network interfaces, which moto does not make). A group's own rules that
    name itself do not count."""
    enis = [eni.id for eni in backend.enis.values() if group.id in {held.id for held in eni.group_set}]
    referrers = [
        other.id
        for groups in backend.groups.values()
        for other in groups.values()
        if other.id != group.id
        and any(rule.source_group.get("GroupId") == group.id for rule in other.ingress_rules + other.egress_rules)
    ]
    load_balancers = [
        balancer.arn
        for balancer in elbv2_backends[backend.account_id][backend.region_name].load_balancers.values()
        if group.id in (balancer.security_groups or [])
    ]
    return enis + referrers + load_balancers


def patch_delete_security_group():
    """DeleteSecurityGroup refuses a group still in use, as EC2 does: DependencyViolation (HTTP 400),
    "resource sg-... has a dependent object". moto 5.2.1 deletes it regardless, leaving network
    interfaces and other groups' rules pointing at a group that no longer exists."""
    from moto.ec2.exceptions import DependencyViolationError
    from moto.ec2.responses.security_groups import SecurityGroups

    delete_security_group = SecurityGroups.delete_security_group

    def delete_security_group_unless_in_use(self):
        self.error_on_dryrun()
        group_id, name = self._get_param("GroupId"), self._get_param("GroupName")
        if group_id:
            group = self.ec2_backend.get_security_group_from_id(group_id)
        else:
            group = self.ec2_backend.get_security_group_by_name_or_id(name) if name else None
        if group is not None and security_group_dependents(self.ec2_backend, group):
            raise DependencyViolationError(f"resource {group.id} has a dependent object")
        return delete_security_group(self)

    SecurityGroups.delete_security_group = delete_security_group_unless_in_use


patch_delete_security_group()


def patch_revoke_by_rule_id():
    """Revoking by SecurityGroupRuleIds a rule the group does not have answers
    InvalidSecurityGroupRuleId.NotFound, naming the id, as EC2 does; moto answered
    InvalidPermission.NotFound, EC2's answer for an IpPermissions that matches no rule."""
    from moto.ec2.exceptions import InvalidSecurityGroupRuleIdNotFoundError
    from moto.ec2.models.security_groups import SecurityGroupBackend

    def checking_rule_ids(revoke, rules_of):
        def revoke_known_rules(self, group_name_or_id, *args, security_rule_ids=None, vpc_id=None, **kwargs):
            group = self.get_security_group_by_name_or_id(group_name_or_id, vpc_id)
            if group is not None:
                known = {rule.id for rule in rules_of(group)}
                for rule_id in security_rule_ids or []:
                    if rule_id not in known:
                        raise InvalidSecurityGroupRuleIdNotFoundError(rule_id)
            return revoke(self, group_name_or_id, *args, security_rule_ids=security_rule_ids, vpc_id=vpc_id, **kwargs)

        return revoke_known_rules

    SecurityGroupBackend.revoke_security_group_ingress = checking_rule_ids(
        SecurityGroupBackend.revoke_security_group_ingress, lambda group: group.ingress_rules
    )
    SecurityGroupBackend.revoke_security_group_egress = checking_rule_ids(
        SecurityGroupBackend.revoke_security_group_egress, lambda group: group.egress_rules
    )


patch_revoke_by_rule_id()


def parse_instant(text):
    """An ISO 8601 instant as a naive UTC datetime, which is what moto stores."""
    instant = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if instant.tzinfo is not None:
        instant = instant.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return instant


class Control:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with getattr(self, "lock", threading.Lock()):
            self.calls = {}
            self.requests = []
            self.faults = []

    def record(self, service, action, params):
        with self.lock:
            key = f"{service}:{action}"
            self.calls[key] = self.calls.get(key, 0) + 1
            self.requests.append({"service": service, "action": action, "params": params})

    def take_fault(self, service, action, params):
        with self.lock:
            for fault in self.faults:
                if fault.get("service") not in (None, service) or fault.get("action") not in (None, action):
                    continue
                if any(params.get(k) != v for k, v in (fault.get("match") or {}).items()):
                    continue
                if fault["count"] > 0:
                    fault["count"] -= 1
                    if fault["count"] == 0:
                        self.faults.remove(fault)
                return fault
            return None


control = Control()


class DescribeBucket:
    """ELBv2's describe bucket: `capacity` calls, refilled at `refill` a second; off until set."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with getattr(self, "lock", threading.Lock()):
            self.capacity = None
            self.served = 0
            self.throttled = 0

    def configure(self, capacity, refill):
        with self.lock:
            self.capacity, self.refill = float(capacity), float(refill)
            self.tokens, self.at = self.capacity, time.monotonic()
            self.served = self.throttled = 0

    def take(self):
        """True when the call may go; False: answer Throttling."""
        with self.lock:
            if self.capacity is None:
                return True
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.refill)
            self.at = now
            if self.tokens < 1:
                self.throttled += 1
                return False
            self.tokens -= 1
            self.served += 1
            return True


describe_bucket = DescribeBucket()
moto_app = DomainDispatcherApplication(create_backend_app)


class GlobalAcceleratorError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


class GlobalAccelerator:
    """In-memory Global Accelerator: accelerators hold listeners, listeners hold endpoint groups."""

    REGION = "us-west-2"

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with getattr(self, "lock", threading.Lock()):
            self.accelerators = {}  # arn -> accelerator
            self.listeners = {}  # arn -> listener (with its accelerator's arn)
            self.endpoint_groups = {}  # arn -> endpoint group (with its listener's arn)

    def handle(self, operation, request):
        handler = getattr(self, f"op_{operation}", None)
        if handler is None:
            raise GlobalAcceleratorError("UnknownOperationException", f"{operation} is not emulated")
        with self.lock:
            return handler(request)

    @staticmethod
    def page(items, request, key):
        maximum = int(request.get("MaxResults", 10))
        if not 1 <= maximum <= 100:
            raise GlobalAcceleratorError("InvalidArgumentException", "MaxResults must be between 1 and 100")
        start = 0
        if request.get("NextToken"):
            try:
                start = int(base64.b64decode(request["NextToken"]).decode())
            except ValueError:
                raise GlobalAcceleratorError("InvalidNextTokenException", "The next token is not valid")
        answer = {key: items[start : start + maximum]}
        if start + maximum < len(items):
            answer["NextToken"] = base64.b64encode(str(start + maximum).encode()).decode()
        return answer

    def op_CreateAccelerator(self, request):
        arn = f"arn:aws:globalaccelerator::{DEFAULT_ACCOUNT_ID}:accelerator/{uuid.uuid4()}"
        accelerator = {
            "AcceleratorArn": arn,
            "Name": request["Name"],
            "IpAddressType": request.get("IpAddressType", "IPV4"),
            "Enabled": request.get("Enabled", True),
            "IpSets": [{"IpFamily": "IPv4", "IpAddresses": ["192.0.2.250", "198.51.100.52"]}],
            "DnsName": f"{uuid.uuid4().hex[:16]}.awsglobalaccelerator.com",
            "Status": "DEPLOYED",
            "CreatedTime": 0,
            "LastModifiedTime": 0,
        }
        self.accelerators[arn] = accelerator
        return {"Accelerator": accelerator}

    def op_ListAccelerators(self, request):
        return self.page(list(self.accelerators.values()), request, "Accelerators")

    def op_CreateListener(self, request):
        accelerator = request.get("AcceleratorArn")
        if accelerator not in self.accelerators:
            raise GlobalAcceleratorError("AcceleratorNotFoundException", f"Accelerator {accelerator} not found")
        arn = f"{accelerator}/listener/{uuid.uuid4().hex[:8]}"
        self.listeners[arn] = {
            "ListenerArn": arn,
            "PortRanges": request["PortRanges"],
            "Protocol": request["Protocol"],
            "ClientAffinity": request.get("ClientAffinity", "NONE"),
            "_accelerator": accelerator,
        }
        return {"Listener": self.public(self.listeners[arn])}

    def op_ListListeners(self, request):
        accelerator = request.get("AcceleratorArn")
        if accelerator not in self.accelerators:
            raise GlobalAcceleratorError("AcceleratorNotFoundException", f"Accelerator {accelerator} not found")
        mine = [self.public(l) for l in self.listeners.values() if l["_accelerator"] == accelerator]
        return self.page(mine, request, "Listeners")

    def op_CreateEndpointGroup(self, request):
        listener = request.get("ListenerArn")
        if listener not in self.listeners:
            raise GlobalAcceleratorError("ListenerNotFoundException", f"Listener {listener} not found")
        arn = f"{listener}/endpoint-group/{uuid.uuid4().hex[:12]}"
        self.endpoint_groups[arn] = {
            "EndpointGroupArn": arn,
            "EndpointGroupRegion": request["EndpointGroupRegion"],
            "EndpointDescriptions": [
                {
                    "EndpointId": endpoint["EndpointId"],
                    "Weight": endpoint.get("Weight", 128),
                    "HealthState": "HEALTHY",
                    "ClientIPPreservationEnabled": endpoint.get("ClientIPPreservationEnabled", False),
                }
                for endpoint in request.get("EndpointConfigurations", [])
            ],
            "TrafficDialPercentage": request.get("TrafficDialPercentage", 100.0),
            "HealthCheckProtocol": request.get("HealthCheckProtocol", "TCP"),
            "HealthCheckIntervalSeconds": 30,
            "ThresholdCount": 3,
            "_listener": listener,
        }
        return {"EndpointGroup": self.public(self.endpoint_groups[arn])}

    def op_ListEndpointGroups(self, request):
        listener = request.get("ListenerArn")
        if listener not in self.listeners:
            raise GlobalAcceleratorError("ListenerNotFoundException", f"Listener {listener} not found")
        mine = [self.public(g) for g in self.endpoint_groups.values() if g["_listener"] == listener]
        return self.page(mine, request, "EndpointGroups")

    def op_DeleteEndpointGroup(self, request):
        arn = request.get("EndpointGroupArn")
        if self.endpoint_groups.pop(arn, None) is None:
            raise GlobalAcceleratorError("EndpointGroupNotFoundException", f"Endpoint group {arn} not found")
        return {}

    @staticmethod
    def public(item):
        return {k: v for k, v in item.items() if not k.startswith("_")}


global_accelerator = GlobalAccelerator()


def serve_global_accelerator(environ, start_response, action, body):
    content_type = JSON_RPC_CONTENT_TYPES["globalaccelerator"]
    try:
        if signed_region(environ) != GlobalAccelerator.REGION:
            # The API is served from us-west-2 only; elsewhere there is no such endpoint.
            raise GlobalAcceleratorError(
                "UnrecognizedClientException", f"Global Accelerator is served in {GlobalAccelerator.REGION} only"
            )
        answer = global_accelerator.handle(action, json.loads(body or b"{}"))
        status, payload = "200 OK", json.dumps(answer).encode()
    except GlobalAcceleratorError as error:
        status = f"{error.status} Error"
        payload = json.dumps({"__type": error.code, "message": error.message}).encode()
    start_response(
        status,
        [("Content-Type", content_type), ("Content-Length", str(len(payload))), ("x-amzn-RequestId", str(uuid.uuid4()))],
    )
    return [payload]


def call_moto(environ):
    """moto's answer as (status, headers, body), for the routes that reshape it."""
    captured = {}

    def capture(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers

    body = b"".join(moto_app(environ, capture))
    return captured["status"], captured["headers"], body


def paged_vpc_links(environ, start_response, params):
    """GetVpcLinks as AWS pages it: `limit` items (default 25, at most 500) from `position`."""
    status, headers, body = call_moto(environ)
    if not status.startswith("200"):
        start_response(status, headers)
        return [body]
    answer = json.loads(body)
    items = answer.get("item", [])  # API Gateway's wire name for the list the SDK calls `items`
    limit = int(params.get("limit", 25))
    start = int(base64.b64decode(params["position"]).decode()) if params.get("position") else 0
    page = {"item": items[start : start + limit]}
    if start + limit < len(items):
        page["position"] = base64.b64encode(str(start + limit).encode()).decode()
    payload = json.dumps(page).encode()
    headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
    start_response(status, headers + [("Content-Length", str(len(payload)))])
    return [payload]


def json_response(start_response, status, body):
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]


def aws_error(start_response, service, fault):
    status = f"{fault.get('status', 400)} Error"
    code = fault.get("code", "Throttling")
    message = fault.get("message", "Rate exceeded")
    if service in REST_ROUTES:
        payload = json.dumps({"message": message}).encode()
        headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)]
    elif service in JSON_RPC_CONTENT_TYPES:
        payload = json.dumps({"__type": code, "message": message}).encode()
        headers = [("Content-Type", JSON_RPC_CONTENT_TYPES[service])]
    elif service == "ec2":
        payload = (
            f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
            f"<RequestID>{uuid.uuid4()}</RequestID></Response>"
        ).encode()
        headers = [("Content-Type", "text/xml")]
    else:
        payload = (
            "<ErrorResponse><Error><Type>Sender</Type>"
            f"<Code>{code}</Code><Message>{message}</Message></Error>"
            f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
        ).encode()
        headers = [("Content-Type", "text/xml")]
    start_response(status, headers + [("Content-Length", str(len(payload))), ("x-amzn-RequestId", str(uuid.uuid4()))])
    return [payload]


def signed_region(environ):
    match = CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return match.group(1) if match else None


def identify(environ, body):
    match = CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    service = match.group(2) if match else "unknown"
    method = environ["REQUEST_METHOD"]
    path = environ.get("PATH_INFO", "")
    params = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        params.update(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
    action = params.get("Action")
    target = environ.get("HTTP_X_AMZ_TARGET")
    if action is None and target:
        # JSON 1.0/1.1: "<Service_Version>.<Operation>"; scalar members become matchable params.
        action = target.rsplit(".", 1)[-1]
        decoded = json.loads(body or b"{}")
        params.update({k: str(v) for k, v in decoded.items() if isinstance(v, (str, int, float, bool))})
    if action is None and service in REST_ROUTES:
        routes = REST_ROUTES[service]
        action = next((name for m, pattern, name in routes if m == method and pattern.match(path)), None)
    return service, action or f"{method} {path}", params


def drop_resource_arns(body, drop):
    """Removes the last `drop` ResourceArns.member.N so moto answers for fewer ARNs than the client asked."""
    params = urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)
    arns = [k for k, _ in params if k.startswith("ResourceArns.member.")]
    doomed = set(sorted(arns, key=lambda k: int(k.rsplit(".", 1)[1]))[-drop:]) if drop > 0 else set()
    return urllib.parse.urlencode([(k, v) for k, v in params if k not in doomed]).encode()


def control_route(environ, start_response, path, method, body):
    if path == "/_test/calls" and method == "GET":
        with control.lock:
            return json_response(start_response, "200 OK", dict(control.calls))
    if path == "/_test/requests" and method == "GET":
        with control.lock:
            return json_response(start_response, "200 OK", list(control.requests))
    if path == "/_test/calls/reset" and method == "POST":
        with control.lock:
            control.calls = {}
            control.requests = []
        return json_response(start_response, "200 OK", {})
    if path == "/_test/faults" and method == "POST":
        fault = json.loads(body or b"{}")
        fault["count"] = int(fault.get("count", 1))
        with control.lock:
            control.faults.append(fault)
        return json_response(start_response, "200 OK", {})
    if path == "/_test/faults" and method == "DELETE":
        with control.lock:
            control.faults = []
        return json_response(start_response, "200 OK", {})
    if path == "/_test/elbv2/bucket" and method == "POST":
        spec = json.loads(body or b"{}")
        describe_bucket.configure(spec.get("capacity", 40), spec.get("refillPerSecond", 10))
        return json_response(start_response, "200 OK", {})
    if path == "/_test/elbv2/bucket" and method == "GET":
        with describe_bucket.lock:
            return json_response(
                start_response, "200 OK", {"served": describe_bucket.served, "throttled": describe_bucket.throttled}
            )
    if path == "/_test/elbv2/bucket" and method == "DELETE":
        describe_bucket.reset()
        return json_response(start_response, "200 OK", {})
    if path == "/_test/ec2/default-network" and method == "GET":
        region = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", ""))).get("region", "us-east-1")
        backend = ec2_backends[DEFAULT_ACCOUNT_ID][region]
        vpc = next(v for v in backend.vpcs.values() if v.is_default)
        subnets = [s.id for s in backend.describe_subnets() if s.vpc_id == vpc.id]
        return json_response(start_response, "200 OK", {"vpcId": vpc.id, "subnetIds": subnets})
    if path == "/_test/elbv2/load-balancers" and method == "POST":
        spec = json.loads(body or b"{}")
        return json_response(start_response, "200 OK", bulk_load_balancers(spec["region"], spec["loadBalancers"]))
    if path == "/_test/ec2/security-groups" and method == "POST":
        spec = json.loads(body or b"{}")
        ec2 = ec2_backends[DEFAULT_ACCOUNT_ID][spec["region"]]
        vpc = next(v for v in ec2.vpcs.values() if v.is_default)
        created = [
            {"groupId": bulk_security_group(ec2, vpc.id, group).id} for group in spec["securityGroups"]
        ]
        return json_response(start_response, "200 OK", created)
    if path == "/_test/ec2/network" and method == "POST":
        spec = json.loads(body or b"{}")
        ec2 = ec2_backends[DEFAULT_ACCOUNT_ID][spec["region"]]
        cidr = ipaddress.IPv4Network(spec.get("cidr", "10.20.0.0/16"))
        vpc = ec2.create_vpc(str(cidr))
        # Two subnets, each a quarter of the VPC, in the region's first two zones: an NLB needs two.
        halves = list(cidr.subnets(prefixlen_diff=2))[:2]
        zones = [zone.name for zone in ec2.describe_availability_zones()][:2]
        subnets = [
            ec2.create_subnet(vpc_id=vpc.id, cidr_block=str(block), availability_zone=zone)
            for block, zone in zip(halves, zones)
        ]
        return json_response(start_response, "200 OK", {"vpcId": vpc.id, "subnetIds": [s.id for s in subnets]})
    if path == "/_test/elbv2/created-time" and method == "POST":
        spec = json.loads(body or b"{}")
        backend = elbv2_backends[DEFAULT_ACCOUNT_ID][spec["region"]]
        found = backend.load_balancers.get(spec["arn"])
        if found is None:
            return json_response(start_response, "404 Not Found", {"message": "no such load balancer"})
        found.created_time = iso_8601_datetime_with_milliseconds(parse_instant(spec["createdAt"]))
        return json_response(start_response, "200 OK", {"createdTime": found.created_time})
    cluster = re.match(r"^/_test/eks/clusters/([^/]+)$", path)
    if cluster and method == "POST":
        spec = json.loads(body or b"{}")
        backend = eks_backends[DEFAULT_ACCOUNT_ID][spec["region"]]
        found = backend.clusters.get(cluster.group(1))
        if found is None:
            return json_response(start_response, "404 Not Found", {"message": "no such cluster"})
        if "endpoint" in spec:
            found.endpoint = spec["endpoint"]
        if "certificateAuthorityData" in spec:
            found.certificate_authority = {"data": spec["certificateAuthorityData"]}
        if "createdAt" in spec:
            found.created_at = parse_instant(spec["createdAt"])
        return json_response(start_response, "200 OK", {})
    return json_response(start_response, "404 Not Found", {"message": f"no test route {method} {path}"})


def bulk_security_group(ec2, vpc_id, spec):
    """A security group in moto's backend, tagged; force: no O(n) search for a duplicate name."""
    return ec2.create_security_group(
        name=spec["name"],
        description=spec.get("description") or spec["name"],
        vpc_id=vpc_id,
        tags=spec.get("tags") or {},
        force=True,
    )


def bulk_load_balancers(region, specs):
    """Load balancers with their footprint, straight in moto's backend: what the API would make, in a
    fraction of the time (moto's CreateTargetGroup and CreateListener scan every target group, which
    is quadratic over thousands; AuthorizeSecurityGroupIngress caps a group at 60 rules, EC2's default
    quota, where the quota can be raised to 1000)."""
    from moto.ec2.models.security_groups import SecurityGroupRule
    from moto.elbv2.models import FakeAction, FakeListener, FakeTargetGroup

    ec2 = ec2_backends[DEFAULT_ACCOUNT_ID][region]
    vpc = next(v for v in ec2.vpcs.values() if v.is_default)
    subnets = [s.id for s in ec2.describe_subnets() if s.vpc_id == vpc.id][:2]
    backend = elbv2_backends[DEFAULT_ACCOUNT_ID][region]
    groups = {}
    created = []
    for lb in specs:
        security_group = None
        if lb.get("securityGroup"):
            security_group = bulk_security_group(ec2, vpc.id, lb["securityGroup"])
        tags = [{"Key": k, "Value": v} for k, v in lb.get("tags", {}).items()]
        made = backend.create_load_balancer(
            name=lb["name"], security_groups=[security_group.id] if security_group else [], subnet_ids=subnets,
            loadbalancer_type=lb.get("type", "network"), tags=tags,
        )
        target_group_arns = []
        for index, group in enumerate(lb.get("targetGroups", [])):
            target_group = FakeTargetGroup(
                name=group["name"], account_id=backend.account_id, region_name=backend.region_name,
                vpc_id=vpc.id, protocol="TCP", port=str(group["port"]), target_type="instance",
                healthcheck_protocol="TCP", unhealthy_threshold_count="2", healthcheck_interval_seconds=30,
            )
            backend.target_groups[target_group.arn] = target_group
            backend.tagging_service.tag_resource(
                target_group.arn, [{"Key": k, "Value": v} for k, v in group.get("tags", {}).items()]
            )
            listener_arn = made.arn.replace(":loadbalancer/", ":listener/") + f"/{uuid.uuid4().hex[:16]}"
            action = FakeAction({"Type": "forward", "TargetGroupArn": target_group.arn})
            made.listeners[listener_arn] = FakeListener(
                made.arn, listener_arn, "TCP", str(80 + index), None, None, [action], None
            )
            target_group.load_balancer_arns.append(made.arn)
            target_group_arns.append(target_group.arn)
        for rule in lb.get("nodeRules", []):
            if security_group is None:
                raise ValueError("nodeRules need a securityGroup to reference")
            holder = groups.get(rule["groupId"]) or ec2.get_security_group_from_id(rule["groupId"])
            groups[rule["groupId"]] = holder
            # Appended as AuthorizeSecurityGroupIngress would, without its 60-rule cap and its
            # duplicate search over every rule of the group.
            holder.ingress_rules.append(
                SecurityGroupRule(
                    ec2, "tcp", holder.id, str(rule["fromPort"]), str(rule["toPort"]), None,
                    {
                        "GroupId": security_group.id,
                        "UserId": ec2.account_id,
                        "OwnerId": ec2.account_id,
                        "Description": rule["description"],
                    },
                    is_egress=False,
                )
            )
        created.append({
            "arn": made.arn,
            "dnsName": made.dns_name,
            "securityGroupId": security_group.id if security_group else None,
            "targetGroupArns": target_group_arns,
        })
    return created


def app(environ, start_response):
    path = environ.get("PATH_INFO", "")
    method = environ["REQUEST_METHOD"]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    if path.startswith("/_test/"):
        return control_route(environ, start_response, path, method, body)
    service, action, params = None, None, {}
    if path == "/moto-api/reset":
        control.reset()
        global_accelerator.reset()
        describe_bucket.reset()
    elif not path.startswith("/moto-api"):
        service, action, params = identify(environ, body)
        control.record(service, action, params)
        fault = control.take_fault(service, action, params)
        if fault is not None and fault.get("kind", "error") == "error":
            return aws_error(start_response, service, fault)
        if fault is not None and fault.get("kind") == "drop_tag_descriptions":
            body = drop_resource_arns(body, int(fault.get("drop", 1)))
        if fault is not None and fault.get("kind") == "delay":
            time.sleep(int(fault.get("ms", 0)) / 1000)
        if service == "elasticloadbalancing" and action.startswith("Describe") and not describe_bucket.take():
            # As ELBv2 answers past its bucket: HTTP 400, the XML error shape, code Throttling.
            return aws_error(start_response, service, {"status": 400, "code": "Throttling", "message": "Rate exceeded"})
    if service == "globalaccelerator":
        return serve_global_accelerator(environ, start_response, action, body)
    if service == "monitoring" and action == "GetMetricData":
        queries = len(json.loads(body or b"{}").get("MetricDataQueries", []))
        if queries > 500:
            fault = {"code": "ValidationError", "message": "The collection MetricDataQueries must not have a size greater than 500."}
            return aws_error(start_response, service, fault)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    if service == "apigateway" and action == "GetVpcLinks":
        return paged_vpc_links(environ, start_response, params)
    return moto_app(environ, start_response)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = make_server("127.0.0.1", port, app, threaded=True)
    print(f"READY {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
