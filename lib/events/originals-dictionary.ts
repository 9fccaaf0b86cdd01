// The preset dictionary stored originals are deflated against (stored-originals.ts): the vocabulary of a
// Kubernetes audit record (audit.k8s.io/v1 field names in the order kube-apiserver writes them, stage,
// level, verb and decision words, the RBAC reason's phrasing, the system identities and user agents
// every cluster has) and of the envelopes GKE, EKS, AKS and Elastic wrap records in. A single record of
// ~1 KB has too little repetition of its own for deflate; against this it compresses about 4–6×.
// Stored values name their dictionary by a version byte: this text must never change. A better one is
// a new version beside it, and decoding keeps every version ever written.
const ENVELOPES = [
  '{"insertId":"","logName":"projects//logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":""},"authorizationInfo":[{"granted":true,"permission":"io.k8s.core.v1.secrets.get","resource":"core/v1/namespaces//secrets/"}],"methodName":"io.k8s.core.v1.secrets.get","requestMetadata":{"callerIp":"","callerSuppliedUserAgent":""},"resourceName":"core/v1/namespaces//secrets/","serviceName":"k8s.io","status":{"code":0}},"receiveTimestamp":"","resource":{"labels":{"cluster_name":"","location":"","project_id":""},"type":"k8s_cluster"},"severity":"NOTICE","timestamp":""}',
  '{"category":"kube-audit","operationName":"Microsoft.ContainerService/managedClusters/diagnosticLogs/Read","properties":{"log":"","pod":"kube-apiserver-","stream":"stdout"},"resourceId":"/SUBSCRIPTIONS//RESOURCEGROUPS//PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/","time":""}',
  '{"@timestamp":"","event":{"dataset":"kubernetes.audit_logs","kind":"event","outcome":"success"},"kubernetes":{"audit":{}},"orchestrator":{"cluster":{"name":""}},"cloudwatch":{"log_group":"/aws/eks//cluster","log_stream":"kube-apiserver-audit-"}}',
];

const IDENTITIES = [
  'system:serviceaccount:kube-system:',
  'system:node:ip-10-0-',
  '.ec2.internal',
  '.compute.internal',
  'system:kube-controller-manager',
  'system:kube-scheduler',
  'system:apiserver',
  'system:anonymous',
  'system:unauthenticated',
  'system:masters',
  'system:nodes',
  'system:serviceaccounts:kube-system',
  'kube-controller-manager/v1.30.2 (linux/amd64) kubernetes/',
  'kube-scheduler/v1.30.2 (linux/amd64) kubernetes/',
  'kubelet/v1.30.2 (linux/amd64) kubernetes/',
  'kube-proxy/v1.30.2 (linux/amd64) kubernetes/',
  'kubectl/v1.30.2 (darwin/arm64) kubernetes/',
  'kubectl/v1.30.2 (linux/amd64) kubernetes/',
  'Go-http-client/2.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)',
  'python-requests/2.31.0',
  'curl/8.5.0',
  '"authentication.kubernetes.io/credential-id":["JTI="],',
  '"authentication.kubernetes.io/node-name":["ip-10-0-"],',
  '"authentication.kubernetes.io/node-uid":[""],',
  '"authentication.kubernetes.io/pod-name":["-"],',
  '"authentication.kubernetes.io/pod-uid":["-"]',
];

const REQUEST_RECEIVED =
  '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"","stage":"RequestReceived","requestURI":"/api/v1/namespaces/kube-system/secrets/","verb":"get","user":{"username":"system:serviceaccount:kube-system:","uid":"","groups":["system:serviceaccounts","system:serviceaccounts:kube-system","system:authenticated"],"extra":{}},"sourceIPs":["10.0."],"userAgent":"","objectRef":{"resource":"secrets","namespace":"kube-system","name":"","apiVersion":"v1"},"requestReceivedTimestamp":"2026-01-01T00:00:00.000000Z","stageTimestamp":"2026-01-01T00:00:00.000000Z"}';

const RESPONSE_COMPLETE =
  '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"","stage":"ResponseComplete","requestURI":"/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/?timeout=10s","verb":"update","user":{"username":"system:node:","groups":["system:nodes","system:authenticated"]},"sourceIPs":["172.16."],"userAgent":"","objectRef":{"resource":"leases","namespace":"kube-node-lease","name":"","uid":"","apiGroup":"coordination.k8s.io","apiVersion":"v1","resourceVersion":"","subresource":"status"},"responseStatus":{"metadata":{},"status":"Failure","message":"","reason":"Forbidden","details":{"name":"","kind":"secrets"},"code":403},"requestObject":{"kind":"","apiVersion":"v1","metadata":{"name":"","namespace":"","uid":"","resourceVersion":"","creationTimestamp":"","labels":{},"annotations":{}},"spec":{}},"responseObject":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":200},"requestReceivedTimestamp":"2026-01-01T00:00:00.000000Z","stageTimestamp":"2026-01-01T00:00:00.000000Z","annotations":{"authorization.k8s.io/decision":"forbid","authorization.k8s.io/reason":"","pod-security.kubernetes.io/enforce-policy":"privileged:latest"}}';

// deflate reaches back 32 KB and codes near matches cheaper: the commonest strings come last.
const COMMONEST = [
  '"verb":"list"',
  '"verb":"watch"',
  '"verb":"create"',
  '"verb":"patch"',
  '"verb":"delete"',
  '"resource":"pods"',
  '"resource":"configmaps"',
  '"resource":"serviceaccounts","subresource":"token"',
  '"resource":"deployments","apiGroup":"apps"',
  '"resource":"events"',
  '"resource":"endpointslices","apiGroup":"discovery.k8s.io"',
  '"stage":"ResponseStarted"',
  '"responseStatus":{"metadata":{},"code":201}',
  '"responseStatus":{"metadata":{},"code":404,"status":"Failure","reason":"NotFound"}',
  '"responseStatus":{"metadata":{},"code":200}',
  '?resourceVersion=0&watch=true',
  '?limit=500',
  '/api/v1/namespaces/default/',
  '/api/v1/nodes/',
  '/apis/apps/v1/namespaces/',
  '"annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by ClusterRoleBinding \\"system:controller:',
  '\\" of ClusterRole \\"system:controller:',
  '\\" to ServiceAccount \\"',
  '/kube-system\\""}}',
  'RBAC: allowed by RoleBinding \\"',
  '\\" of Role \\"',
  '\\" to User \\"',
  '\\" to Group \\"',
  '\\"/',
];

export const ORIGINALS_DICTIONARY_1 = Buffer.from(
  [
    ...ENVELOPES,
    ...IDENTITIES,
    RESPONSE_COMPLETE,
    '{"ResponseComplete":',
    '{"RequestReceived":',
    ...COMMONEST,
    REQUEST_RECEIVED,
    ',"ResponseComplete":',
  ].join(''),
);
