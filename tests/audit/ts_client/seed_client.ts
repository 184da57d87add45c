// Seed 002 §4.3 (前端调用示例, TypeScript/Axios), verbatim except for two marked lines:
// the base URL (the seed's relative '/admin/v2/evaluation' needs a host outside a browser) and
// the export list appended at the end so the runner can call the three business scenarios.
// The token comes from localStorage exactly as in the seed; run.cjs provides localStorage.
import axios from 'axios';

const API_BASE = `${(globalThis as any).HRM2_BASE_URL}/admin/v2/evaluation`; // CHANGED: base URL

// 获取 JWT Token
const getToken = () => localStorage.getItem('token');

// 创建 axios 实例
const api = axios.create({
  headers: {
    'Content-Type': 'application/json',
  },
});

// 添加请求拦截器
api.interceptors.request.use((config) => {
  const token = getToken();
  if (token) {
    config.headers.Authorization = `Bearer ${token}`;
  }
  return config;
});

/**
 * 更新评查结果
 * @param resultId 评查结果ID
 * @param data 更新数据
 */
export async function updateEvaluationResult(
  resultId: number,
  data: {
    result?: 'pass' | 'fail';
    message?: string;
    final_score?: number;
  }
) {
  const response = await api.patch(`${API_BASE}/results/${resultId}`, data);
  return response.data;
}

/**
 * 创建审核状态记录
 * @param data 审核状态数据
 */
export async function createAuditStatus(data: {
  document_id: number;
  evaluation_point_id: number;
  evaluation_result_id: number;
  edit_audit_status: 0 | 1;
  message?: string;
}) {
  const response = await api.post(`${API_BASE}/audit-status`, data);
  return response.data;
}

/**
 * 更新审核状态记录
 * @param auditStatusId 审核状态ID
 * @param data 更新数据
 */
export async function updateAuditStatus(
  auditStatusId: number,
  data: {
    edit_audit_status?: 0 | 1;
    message?: string;
  }
) {
  const response = await api.patch(`${API_BASE}/audit-status/${auditStatusId}`, data);
  return response.data;
}

/**
 * 确认文档审核完成
 * @param documentId 文档ID
 */
export async function confirmDocumentReview(documentId: number) {
  const response = await api.patch(`${API_BASE}/documents/${documentId}/confirm`, {
    audit_status: 1,
  });
  return response.data;
}

// ============================================
// 业务场景示例
// ============================================

/**
 * 场景1：用户点击"通过"按钮
 */
async function handlePassClick(
  documentId: number,
  evaluationPointId: number,
  evaluationResultId: number
) {
  try {
    // 1. 更新评查结果为"通过"
    await updateEvaluationResult(evaluationResultId, {
      result: 'pass',
      message: '人工审核通过',
      final_score: 100,
    });

    // 2. 记录审核操作
    await createAuditStatus({
      document_id: documentId,
      evaluation_point_id: evaluationPointId,
      evaluation_result_id: evaluationResultId,
      edit_audit_status: 1,
      message: '用户确认通过',
    });

    console.log('审核成功');
  } catch (error) {
    console.error('审核失败:', error);
  }
}

/**
 * 场景2：用户点击"不通过"按钮
 */
async function handleFailClick(
  documentId: number,
  evaluationPointId: number,
  evaluationResultId: number,
  reason: string
) {
  try {
    // 1. 更新评查结果为"不通过"
    await updateEvaluationResult(evaluationResultId, {
      result: 'fail',
      message: reason,
      final_score: 0,
    });

    // 2. 记录审核操作
    await createAuditStatus({
      document_id: documentId,
      evaluation_point_id: evaluationPointId,
      evaluation_result_id: evaluationResultId,
      edit_audit_status: 1,
      message: `用户确认不通过: ${reason}`,
    });

    console.log('审核成功');
  } catch (error) {
    console.error('审核失败:', error);
  }
}

/**
 * 场景3：用户完成所有评查点审核，点击"确认完成"
 */
async function handleConfirmAllClick(documentId: number) {
  try {
    await confirmDocumentReview(documentId);
    console.log('文档审核确认成功');
  } catch (error) {
    console.error('确认失败:', error);
  }
}

export { handleConfirmAllClick, handleFailClick, handlePassClick }; // ADDED: for the runner
