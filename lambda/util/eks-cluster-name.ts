// EKS CreateCluster's name pattern: anything else cannot be looked up in EKS.
const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

export function isEksClusterName(name: string): boolean {
  return EKS_CLUSTER_NAME.test(name);
}
